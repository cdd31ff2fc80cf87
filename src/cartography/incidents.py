"""Unexpected errors: a short reference for the user, the full detail for the operator.

No traceback ever reaches a member or a planner: a traceback can carry file paths, SQL,
fragments of other organisations' answers or the store's address. The command line and the
app therefore show only a short bilingual message with an incident reference (8 hex
characters) and write the detail, under the same reference, to a log file in the data folder
(``CARTO_LOG_FILE`` moves it) and to the ``cartography.incidents`` logger. The person running
the server or the command can then find the detail from the reference a user reports.

Nothing here imports streamlit; the app and the command line share it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import traceback
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cartography.paths import data_dir

LOGGER = logging.getLogger("cartography.incidents")
# A library logger with no handler of its own would fall back to Python's "last resort"
# handler, which prints the traceback on stderr: exactly what a user must not see on the
# command line. The app adds a console handler for the server's operator (see
# ``cartography.ui.state``); the command line prints detail only with ``CARTO_DEBUG=1``.
LOGGER.addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Incident:
    """What a user is told about an unexpected error (the detail stays in the log).

    Attributes
    ----------
    reference:
        Eight hexadecimal characters, unique enough to find one entry in the log.
    log_path:
        The log file the detail was written to, or ``None`` if it could not be written.
    """

    reference: str
    log_path: Path | None


def log_file() -> Path:
    """The incident log: ``CARTO_LOG_FILE``, else ``logs/incidents.log`` in the data folder."""
    env = os.environ.get("CARTO_LOG_FILE")
    if env:
        return Path(env).resolve()
    return data_dir() / "logs" / "incidents.log"


def debug_enabled() -> bool:
    """``CARTO_DEBUG=1`` asks the command line to print the detail on stderr as well."""
    return os.environ.get("CARTO_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")


def detail(error: BaseException) -> str:
    """The full traceback of ``error`` as text (for the log only, never for a user)."""
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))


def record(error: BaseException, where: str) -> Incident:
    """Give ``error`` a reference and write its detail to the log; never raises.

    Parameters
    ----------
    error:
        The unexpected exception.
    where:
        What was running (a command name, a page), written beside the detail.

    Returns
    -------
    Incident
        The reference to show the user and where the detail went.
    """
    reference = uuid.uuid4().hex[:8]
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"{stamp} incident {reference} in {where}\n{detail(error)}\n"
    path: Path | None = log_file()
    try:
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
    except OSError:
        path = None
    with contextlib.suppress(Exception):  # a broken log handler must not become a traceback for the user
        LOGGER.error("incident %s in %s", reference, where, exc_info=(type(error), error, error.__traceback__))
    return Incident(reference, path)
