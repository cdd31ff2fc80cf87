# Shared set-up: a virtual environment in .venv with the project and what it needs.
# Sourced by scripts/app.sh and scripts/test.sh; needs only Python 3.11+ and pip.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)-${1:-app}
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  if [ "${1:-app}" = test ]; then
    .venv/bin/python -m pip install --quiet -e '.[test]'
  else
    .venv/bin/python -m pip install --quiet -e '.[postgres]'
  fi
  touch "$stamp"
fi
