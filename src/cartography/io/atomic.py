"""Files written aside, then renamed: a reader never sees half a file under the target name."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def written_aside(target: Path) -> Iterator[Path]:
    """Yield a private path beside ``target``; on success sync it once and rename it over ``target``.

    The private name keeps ``target``'s suffix because GDAL picks drivers by it. On failure the
    private file is removed and ``target`` is untouched (a previous file stays whole).
    """
    target = Path(target)
    partial = target.with_name(f".{target.stem}.partial{target.suffix}")
    partial.unlink(missing_ok=True)
    try:
        yield partial
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


__all__ = ["written_aside"]
