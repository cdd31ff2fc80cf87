#!/usr/bin/env bash
# Run the whole test suite: ruff, mypy, then pytest. Sets everything up first (virtual environment, and, when run as
# root on Debian, PostgreSQL for the store tests and Chromium for the end-to-end test).
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh" test
bash scripts/system-deps.sh || echo "system packages unavailable: PostgreSQL/Chromium tests will be skipped" >&2
if [ -f .ci/postgres.env ]; then source .ci/postgres.env; fi
.venv/bin/ruff check .
.venv/bin/mypy  # src/cartography, settings in pyproject.toml: zero errors, no blanket ignores
exec .venv/bin/python -m pytest "$@"
