"""CI runs exactly README's test command, and with CI=1 so service-backed tests fail, never skip."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_sets_ci_and_runs_the_readme_test_command() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.split("#")[0].strip() for line in run.splitlines()]
    assert "export CI=1" in lines
    assert "bash scripts/test.sh" in lines
    assert lines.index("export CI=1") < lines.index("bash scripts/test.sh")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in readme.split("## Ligne de commande")[0]  # one of the two commands
