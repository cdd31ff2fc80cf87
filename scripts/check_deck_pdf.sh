#!/usr/bin/env bash
# Visual check of the PowerPoint decks (not run in CI): build the table deck and one member's
# deck from the demo data, convert them to PDF with LibreOffice headless and to PNG pages with
# pdftoppm, and make a contact sheet to look at; the same for the stress decks of the tests.
#   Needs Debian's libreoffice-impress and poppler-utils (apt-get install -y libreoffice-impress poppler-utils).
# Usage: bash scripts/check_deck_pdf.sh [OUT_DIR]   (default: test-artifacts/deck)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-test-artifacts/deck}"
mkdir -p "$out"
work=$(mktemp -d)
export CARTO_DATA_DIR="$work"
.venv/bin/cartography demo >/dev/null
export CARTO_DATABASE_URL="sqlite:///$work/demo/store.sqlite"  # the demo keeps its own store
.venv/bin/cartography report --cycle 2019-2020 -o "$out/table.pptx"
.venv/bin/cartography report --cycle 2019-2020 --org ccfl -o "$out/ccfl.pptx"
.venv/bin/cartography report --cycle 2019-2020 --lang en -o "$out/table-en.pptx"
# The stress decks of tests/test_reports.py (15 services, 9 sites, 15 needs, a 120-character name).
CARTO_DECK_OUT="$(cd "$out" && pwd)" CI=1 .venv/bin/python -m pytest tests/test_reports.py -q -p no:cacheprovider -k stress >/dev/null
decks="table ccfl table-en stress-member stress-table"
for deck in $decks; do
  soffice --headless --convert-to pdf --outdir "$out" "$out/$deck.pptx" >/dev/null
  test -s "$out/$deck.pdf" || { echo "PDF conversion failed for $deck" >&2; exit 1; }
  pdftoppm -r 60 -png "$out/$deck.pdf" "$out/$deck-page"
done
.venv/bin/python - "$out" "$decks" <<'PY'
import glob, sys
from PIL import Image
out = sys.argv[1]
for deck in sys.argv[2].split():
    pages = [Image.open(p) for p in sorted(glob.glob(f"{out}/{deck}-page-*.png"))]
    w, h = pages[0].size
    cols = 4
    sheet = Image.new("RGB", (w * cols, h * ((len(pages) + cols - 1) // cols)), "white")
    for i, page in enumerate(pages):
        sheet.paste(page, ((i % cols) * w, (i // cols) * h))
    sheet.save(f"{out}/{deck}-sheet.png")
    print(f"{deck}: {len(pages)} pages -> {out}/{deck}-sheet.png")
PY
rm -rf "$work"
