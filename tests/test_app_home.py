"""AppTest of the home page."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def test_home_shows_the_region_in_french() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "Cartographie des services en français"
    table = at.dataframe[0].value
    assert list(table["Région"]) == ["London", "Middlesex", "Elgin", "Oxford"]


def test_english_switch() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.sidebar.radio[0].set_value("en").run()
    assert at.title[0].value == "Map of French-language services"
