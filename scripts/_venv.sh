# Shared set-up: a virtual environment in .venv with the project and what it needs.
# Sourced by scripts/app.sh and scripts/test.sh; needs only Python 3.11+ and pip.
# Says each step as it goes (French, then English): the first run installs for a few minutes
# and must not look stuck, so pip's progress is shown, not silenced. Later runs skip it all.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
step() { printf '\n==> %s\n    %s\n' "$1" "$2"; }
if [ ! -x .venv/bin/python ]; then
  step "Création de l'environnement virtuel .venv avec $PYTHON…" \
       "Creating the virtual environment .venv with $PYTHON..."
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)-${1:-app}
if [ ! -f "$stamp" ]; then
  step "Installation des paquets (quelques minutes la première fois ; la progression de pip suit)…" \
       "Installing packages (a few minutes the first time; pip's progress follows)..."
  .venv/bin/python -m pip install --progress-bar on --upgrade pip
  if [ "${1:-app}" = test ]; then
    .venv/bin/python -m pip install --progress-bar on -e '.[test]'
  else
    .venv/bin/python -m pip install --progress-bar on -e '.[postgres]'
  fi
  touch "$stamp"
  step "Paquets installés." "Packages installed."
fi
