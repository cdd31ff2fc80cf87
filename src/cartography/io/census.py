"""Read a Statistics Canada 2021 Census Profile download and keep the region's demand figures.

The profile CSV has one row per geography and characteristic (``DGUID``, ``ALT_GEO_CODE``,
``CHARACTERISTIC_NAME``, ``C1_COUNT_TOTAL`` ...). Characteristic names repeat under
different headings ("French" is a mother tongue and a first official language), so rows
are read in order and each is qualified by the "Total - ..." heading above it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from cartography.geography import in_region_cd
from cartography.i18n import UserError
from cartography.paths import data_dir

#: Demand characteristics the tool understands: key -> (heading words, row name, FR, EN).
CHARACTERISTICS: dict[str, tuple[str, str, str, str]] = {
    "fols_french": (
        "first official language spoken",
        "french",
        "Première langue officielle parlée : français",
        "First official language spoken: French",
    ),
    "fols_english_french": (
        "first official language spoken",
        "english and french",
        "Première langue officielle parlée : français et anglais",
        "First official language spoken: English and French",
    ),
    "mother_tongue_french": (
        "mother tongue",
        "french",
        "Langue maternelle : français",
        "Mother tongue: French",
    ),
    "knowledge_english_french": (
        "knowledge of official languages",
        "english and french",
        "Connaissance des langues officielles : français et anglais",
        "Knowledge of official languages: English and French",
    ),
    "immigrants": ("immigrant status", "immigrants", "Immigrants", "Immigrants"),
    "recent_immigrants": (
        "immigrant status",
        "2016 to 2021",
        "Immigrants récents (2016 à 2021)",
        "Recent immigrants (2016 to 2021)",
    ),
}
REQUIRED = ("DGUID", "CHARACTERISTIC_NAME", "C1_COUNT_TOTAL")


def _read(source: Path | bytes) -> pd.DataFrame:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def parse_census_profile(source: Path | bytes) -> pd.DataFrame:
    """Long frame ``CSDUID, characteristic, value`` for the region's CSDs."""
    try:
        frame = _read(source)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise UserError("census.error.unreadable", detail=str(exc)) from exc
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise UserError("census.error.columns", columns=", ".join(missing))
    frame["_csd"] = frame["DGUID"].str.extract(r"^2021A0005(\d{7})$", expand=False)
    if "ALT_GEO_CODE" in frame.columns:
        frame["_csd"] = frame["_csd"].fillna(frame["ALT_GEO_CODE"].where(frame["ALT_GEO_CODE"].str.len() == 7))
    rows = []
    for csd, block in frame[frame["_csd"].notna()].groupby("_csd", sort=False):
        if not in_region_cd(csd):
            continue
        heading = ""
        for name, value in zip(block["CHARACTERISTIC_NAME"], block["C1_COUNT_TOTAL"], strict=True):
            clean = " ".join(str(name).split()).lower()
            if clean.startswith("total - "):
                heading = clean
                continue
            for key, (words, row_name, _fr, _en) in CHARACTERISTICS.items():
                if words in heading and clean == row_name:
                    number = pd.to_numeric(re.sub(r"[^\d.]", "", str(value)) or "nan", errors="coerce")
                    rows.append({"CSDUID": csd, "characteristic": key, "value": number})
    out = pd.DataFrame(rows, columns=["CSDUID", "characteristic", "value"]).drop_duplicates(
        ["CSDUID", "characteristic"]
    )
    if out.empty:
        raise UserError("census.error.nothing")
    return out


def demand_file() -> Path:
    return data_dir() / "census" / "demand_2021.csv"


def import_census_profile(source: Path) -> pd.DataFrame:
    """Parse and keep (merge into) the demand file; return what was imported."""
    parsed = parse_census_profile(source)
    target = demand_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        old = pd.read_csv(target, dtype={"CSDUID": str})
        keys = set(zip(parsed["CSDUID"], parsed["characteristic"], strict=True))
        old = old[[(c, k) not in keys for c, k in zip(old["CSDUID"], old["characteristic"], strict=True)]]
        parsed_all = pd.concat([old, parsed], ignore_index=True)
    else:
        parsed_all = parsed
    partial = target.with_suffix(".partial")
    parsed_all.to_csv(partial, index=False)
    partial.replace(target)
    return parsed


def load_demand(characteristic: str) -> pd.Series:
    """Imported demand by CSDUID for one characteristic."""
    if characteristic not in CHARACTERISTICS:
        raise UserError("census.error.unknown_demand", key=characteristic, keys=", ".join(CHARACTERISTICS))
    target = demand_file()
    if not target.exists():
        raise UserError("census.error.not_imported", key=characteristic)
    frame = pd.read_csv(target, dtype={"CSDUID": str})
    frame = frame[frame["characteristic"] == characteristic]
    if frame.empty:
        raise UserError("census.error.not_imported", key=characteristic)
    return frame.set_index("CSDUID")["value"]
