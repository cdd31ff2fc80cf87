"""Write the project's PowerPoint template (16:9) to src/cartography/data/deck-template.pptx.

The deck builder draws its own title bars, footers and labels on the template's blank layout,
so the template only fixes the page size, the document properties and the theme fonts it
inherits. Run again after changing it: .venv/bin/python scripts/make_deck_template.py
"""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

TARGET = Path(__file__).resolve().parents[1] / "src" / "cartography" / "data" / "deck-template.pptx"


def main() -> None:
    deck = Presentation()
    deck.slide_width = Emu(12_192_000)  # 13.333 in: 16:9
    deck.slide_height = Emu(6_858_000)  # 7.5 in
    deck.core_properties.title = "Cartographie des services en français"
    deck.core_properties.author = "Comité local en immigration francophone de London et comtés environnants"
    deck.core_properties.language = "fr-CA"
    # French by default: the default text style, the master and its layouts (a:defRPr, a:rPr).
    parts = [deck.part._element]
    for master in deck.slide_masters:
        parts.append(master._element)
        parts.extend(layout._element for layout in master.slide_layouts)
    for root in parts:
        for name in ("a:defRPr", "a:rPr", "a:endParaRPr"):
            for element in root.iter(qn(name)):
                element.set("lang", "fr-CA")
    deck.save(TARGET)
    print(f"written {TARGET}")


if __name__ == "__main__":
    main()
