"""The command line never shows a traceback, and `cartography serve` keeps its safe settings
from any folder (issue 10, items 6 and 14)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cartography.cli import build_parser, main, serve_command
from cartography.paths import project_root


def _flag(argv: list[str], name: str) -> str:
    """The value given to ``--name`` in ``argv``."""
    return argv[argv.index(name) + 1]


@pytest.fixture
def broken_status(monkeypatch: pytest.MonkeyPatch) -> None:
    """``cycle status`` fails the way a bug would: an exception nobody anticipated."""
    from cartography.io.store import Store

    def broken(self, cycle):  # type: ignore[no-untyped-def]
        raise RuntimeError("détail secret postgresql://coord:motdepasse@db/carto")

    monkeypatch.setattr(Store, "status", broken)
    monkeypatch.setattr(Store, "cycles", lambda self: broken(self, None))


def test_unexpected_error_prints_a_reference_and_logs_the_detail(broken_status, capsys) -> None:
    code = main(["cycle", "status", "2019-2020"])
    err = capsys.readouterr().err
    assert code == 2
    reference = re.search(r"Erreur inattendue \(référence ([0-9a-f]{8})\)", err).group(1)
    assert f"[EN] Unexpected error (reference {reference})" in err
    assert "Traceback" not in err and "motdepasse" not in err and "RuntimeError" not in err
    log = Path(os.environ["CARTO_DATA_DIR"]) / "logs" / "incidents.log"
    assert str(log) in err  # the operator is told where the detail is
    logged = log.read_text(encoding="utf-8")
    assert f"incident {reference} in cartography cycle" in logged
    assert "Traceback" in logged and "RuntimeError: détail secret" in logged


def test_debug_prints_the_detail_too(broken_status, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CARTO_DEBUG", "1")
    assert main(["cycle", "status", "2019-2020"]) == 2
    err = capsys.readouterr().err
    assert "Erreur inattendue" in err and "Traceback" in err and "RuntimeError: détail secret" in err


def test_an_unwritable_log_still_gives_a_clean_message(broken_status, capsys, monkeypatch, tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("CARTO_LOG_FILE", str(blocker / "incidents.log"))
    assert main(["cycle", "status", "2019-2020"]) == 2
    err = capsys.readouterr().err
    assert "CARTO_DEBUG=1" in err and "Traceback" not in err and "[EN] Unexpected error" in err


def test_user_errors_keep_their_bilingual_message(capsys) -> None:
    assert main(["cycle", "validate", "2019-2020", "absent", "1", "--author", "test"]) == 1
    err = capsys.readouterr().err
    assert "[EN]" in err and "Traceback" not in err and "référence" not in err


def test_serve_command_does_not_depend_on_the_folder(tmp_path, monkeypatch) -> None:
    hostile = tmp_path / ".streamlit"
    hostile.mkdir()
    (hostile / "config.toml").write_text('[server]\naddress = "0.0.0.0"\nmaxUploadSize = 2000\n')
    monkeypatch.chdir(tmp_path)
    argv = serve_command()
    assert argv[1:4] == ["-m", "streamlit", "run"]
    assert Path(argv[4]) == (project_root() / "app.py").resolve() and Path(argv[4]).is_file()
    assert _flag(argv, "--server.address") == "127.0.0.1"  # this computer only by default
    assert _flag(argv, "--server.port") == "8501"
    assert _flag(argv, "--server.maxUploadSize") == "5"
    assert _flag(argv, "--client.showErrorDetails") == "none"  # "false" would still show the traceback
    assert _flag(argv, "--server.enableXsrfProtection") == "true"
    assert _flag(argv, "--browser.gatherUsageStats") == "false"
    shared = serve_command("0.0.0.0", 9000)
    assert _flag(shared, "--server.address") == "0.0.0.0" and _flag(shared, "--server.port") == "9000"
    assert _flag(shared, "--server.maxUploadSize") == "5"


def test_serve_options_and_what_it_runs(tmp_path, monkeypatch) -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.address, args.port) == ("127.0.0.1", 8501)
    args = build_parser().parse_args(["serve", "--address", "0.0.0.0", "--port", "9000"])
    assert (args.address, args.port) == ("0.0.0.0", 9000)
    calls = []
    monkeypatch.setattr(subprocess, "call", lambda argv, **kw: calls.append((argv, kw)) or 0)
    monkeypatch.chdir(tmp_path)
    assert main(["serve", "--port", "8600"]) == 0
    argv, options = calls[0]
    assert argv == serve_command("127.0.0.1", 8600)
    assert Path(options["cwd"]) == project_root()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp) listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.add(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc to see listening sockets")
def test_serve_from_another_folder_listens_on_localhost_only(tmp_path) -> None:
    hostile = tmp_path / ".streamlit"
    hostile.mkdir()
    (hostile / "config.toml").write_text('[server]\naddress = "0.0.0.0"\nmaxUploadSize = 2000\n')
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cartography.cli", "serve", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group: the Streamlit child is stopped with it
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("cartography serve did not start")
        assert _listening(port) == {"0100007F"}  # 127.0.0.1 only, not 0.0.0.0
        child = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()[0]
        argv = Path(f"/proc/{child}/cmdline").read_bytes().decode().split("\0")
        assert _flag(argv, "--server.maxUploadSize") == "5" and _flag(argv, "--client.showErrorDetails") == "none"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)
