"""Check a filled template and turn it into a :class:`SubmissionContent`.

Pure: the IO layer reads the workbook into :class:`RawWorkbook` (cell values by sheet, row
and column) and this module reports every problem at once, each located by sheet, row and
column with a French and English message and a suggestion where one is obvious. A template
with any problem yields no content, so nothing half-checked is ever stored.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from pydantic import ValidationError

from cartography.errors import UserError
from cartography.geocoding import Gazetteer, geocode_name, geocode_postal, geocode_site
from cartography.geography import LONDON_CSDUID, place_key
from cartography.i18n import t
from cartography.model import (
    ClientCount,
    Need,
    Organisation,
    Service,
    Site,
    SubmissionContent,
)
from cartography.rules import EMAIL, ORG_ID, POSTAL_CODE
from cartography.template_spec import (
    CLIENTS,
    NEEDS,
    ORGANISATION,
    SERVICES,
    SITES,
    Column,
    Sheet,
)
from cartography.vocabulary import REGIONS, Vocabulary, fold

_POSTAL = POSTAL_CODE
_EMAIL = EMAIL
_ORG_ID = ORG_ID
#: Characters no member types on purpose: C0/C1 controls (tab and line breaks excepted), DEL,
#: and U+FFFD, the mark of text that was damaged on its way (or of a control character the
#: online form could not put in a workbook).
_UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
#: Longest raw text accepted in cells that are not free text, before any lookup: a name to
#: find in a list is short, and a long one would only cost time in fuzzy matching.
_RAW_LIMITS = {"vocab": 200, "municipality": 200, "area": 200, "postal": 20, "email": 254, "int": 40, "float": 40}
_MAX_AREAS = 100
#: Checking stops after this many problems: nobody reads more, and a hostile file cannot make
#: the report (or the time spent on suggestions) grow without end.
MAX_PROBLEMS = 500
_SHOWN = 100  # characters of a value repeated in a problem


@dataclass(frozen=True)
class Problem:
    """One thing to fix, located where the member will look for it."""

    sheet: str
    row: int | None
    column: str | None
    value: str
    message_fr: str
    message_en: str
    suggestion_fr: str = ""
    suggestion_en: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class RawWorkbook:
    """Cell values as read, before any check.

    ``organisation`` maps a field key to (row number, value); ``rows`` maps a data sheet
    key to its non-empty, non-example rows as (row number, {column key: value}).
    """

    organisation: dict[str, tuple[int, object]] = field(default_factory=dict)
    rows: dict[str, list[tuple[int, dict[str, object]]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def problem(
    sheet: str,
    row: int | None,
    column: str | None,
    value: object,
    key: str,
    suggestion: tuple[str, str] | None = None,
    **fields: object,
) -> Problem:
    """Build a located problem from a catalogue message.

    The value repeated to the member is cut to a hundred characters and cleared of control
    characters, so a hostile cell cannot flood the report or a terminal.
    """
    shown = "" if value is None else _UNREADABLE.sub("\ufffd", str(value))
    if len(shown) > _SHOWN:
        shown = shown[:_SHOWN] + "…"
    fields.setdefault("value", shown)
    fr_sugg, en_sugg = suggestion or ("", "")
    return Problem(sheet, row, column, shown, t(key, "fr", **fields), t(key, "en", **fields), fr_sugg, en_sugg)


def _suggest(key: str, **fields: object) -> tuple[str, str]:
    return t(key, "fr", **fields), t(key, "en", **fields)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _TooManyProblems(Exception):
    """Raised once :data:`MAX_PROBLEMS` problems are collected: the report is long enough."""


class _Checker:
    """Reads cells one by one, collecting problems instead of stopping at the first."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.problems: list[Problem] = []

    def add(
        self,
        sheet: Sheet,
        row: int | None,
        column: Column | None,
        value: object,
        key: str,
        suggestion: tuple[str, str] | None = None,
        **fields: object,
    ) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooManyProblems
        self.problems.append(
            problem(sheet.title, row, column.title_fr if column else None, value, key, suggestion, **fields)
        )

    # -- cell readers: return the clean value, or None after recording a problem ----------
    def text(self, sheet: Sheet, row: int, col: Column, value: object) -> str | None:
        if _blank(value):
            if col.required:
                self.add(sheet, row, col, value, "validation.required", name=col.title_fr)
            return None if col.required else ""
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not self._short_enough(sheet, row, col, text, col.max_length):
            return None
        return text

    def _short_enough(self, sheet: Sheet, row: int, col: Column, text: str, limit: int) -> bool:
        """Length and readable characters, checked before any other work on the text."""
        if len(text) > limit:
            self.add(sheet, row, col, text, "validation.text_too_long", count=len(text), limit=limit)
            return False
        bad = _UNREADABLE.search(text)
        if bad is not None:
            self.add(sheet, row, col, text, "workbook.control_characters", position=bad.start() + 1)
            return False
        return True

    def cell(self, sheet: Sheet, row: int, col: Column, value: object) -> tuple[bool, object]:
        """(ok, clean value) for any column kind."""
        if _blank(value):
            if col.required:
                self.add(sheet, row, col, value, "validation.required", name=col.title_fr)
                return False, None
            return True, None
        kind = col.kind
        if isinstance(value, str) and kind in _RAW_LIMITS:
            if not self._short_enough(sheet, row, col, value.strip(), _RAW_LIMITS[kind]):
                return False, None
        elif (
            isinstance(value, str)
            and kind == "areas"
            and not self._short_enough(sheet, row, col, value.strip(), col.max_length)
        ):
            return False, None
        if kind == "vocab":
            return self._vocab(sheet, row, col, value, col.vocabulary)  # type: ignore[arg-type]
        if kind == "int":
            return self._int(sheet, row, col, value)
        if kind == "float":
            number = _finite(value)
            if number is None:
                self.add(sheet, row, col, value, "validation.not_number")
                return False, None
            return True, number
        if kind == "postal":
            compact = re.sub(r"[\s-]", "", str(value)).upper()
            match = _POSTAL.match(compact) or re.match(r"^([A-Z]\d[A-Z])()$", compact)
            if not match:
                self.add(
                    sheet,
                    row,
                    col,
                    value,
                    "geocode.error.postal_format",
                    _suggest("validation.suggest_postal"),
                    text=value,
                )
                return False, None
            return True, f"{match.group(1)} {match.group(2)}".strip()
        if kind == "email":
            text = str(value).strip()
            if not _EMAIL.match(text):
                self.add(sheet, row, col, value, "validation.email")
                return False, None
            return True, text
        if kind == "municipality":
            return self._municipality(sheet, row, col, value)
        if kind == "area":
            return self._area(sheet, row, col, value)
        if kind == "areas":
            return self._areas(sheet, row, col, value)
        text = self.text(sheet, row, col, value)
        return text is not None, text

    def _vocab(self, sheet: Sheet, row: int, col: Column, value: object, vocab: Vocabulary) -> tuple[bool, object]:
        term = vocab.match(value)
        if term is not None:
            return True, term.code
        labels = vocab.labels("fr")
        close = difflib.get_close_matches(fold(str(value)), [fold(x) for x in labels], n=1, cutoff=0.5)
        if close:
            label = labels[[fold(x) for x in labels].index(close[0])]
            suggestion = _suggest("validation.suggest_name", value=label)
        else:
            suggestion = _suggest("validation.suggest_list", value=" | ".join(labels))
        self.add(sheet, row, col, value, "validation.not_in_list", suggestion, list=vocab.fr)
        return False, None

    def _int(self, sheet: Sheet, row: int, col: Column, value: object) -> tuple[bool, object]:
        number = _whole(value)
        if number is None:
            self.add(sheet, row, col, value, "validation.not_integer")
            return False, None
        if number < 0:
            self.add(sheet, row, col, value, "validation.negative", number=number)
            return False, None
        if number > col.max_value:
            self.add(sheet, row, col, value, "workbook.number_too_large", limit=f"{col.max_value:,}".replace(",", " "))
            return False, None
        return True, number

    def _name_suggestion(self, value: object) -> tuple[str, str] | None:
        names = self.gaz.closest_names(str(value), n=1)
        return _suggest("validation.suggest_name", value=names[0]) if names else None

    def _municipality(self, sheet: Sheet, row: int, col: Column, value: object) -> tuple[bool, object]:
        try:
            return True, geocode_name(self.gaz, str(value)).csduid
        except UserError as err:
            if err.key in _PASSED_ON:  # "Springfield": say which ones, not "unknown"
                self.add(sheet, row, col, value, err.key, **err.fields)
            else:
                self.add(sheet, row, col, value, "validation.unknown_municipality", self._name_suggestion(value))
            return False, None

    def _area(self, sheet: Sheet, row: int, col: Column, value: object) -> tuple[bool, object]:
        region = REGIONS.match(value)
        text = str(value)
        if region is None and ":" in text:  # "Région : Elgin"
            region = REGIONS.match(text.split(":", 1)[1])
        if region is not None and region.code != "london":
            return True, region.code
        try:
            return True, geocode_name(self.gaz, text).csduid
        except UserError as err:
            if err.key in _PASSED_ON:
                self.add(sheet, row, col, value, err.key, **err.fields)
            else:
                self.add(sheet, row, col, value, "validation.unknown_area", self._name_suggestion(value))
            return False, None

    def _areas(self, sheet: Sheet, row: int, col: Column, value: object) -> tuple[bool, object]:
        parts = [p.strip() for p in re.split(r"[;\n]", str(value)) if p.strip()]
        if len(parts) > _MAX_AREAS:
            self.add(sheet, row, col, value, "workbook.too_many_areas", count=len(parts), limit=_MAX_AREAS)
            return False, ()
        codes: list[str] = []
        ok = True
        whole = {fold(t("template.whole_region", "fr")), fold(t("template.whole_region", "en"))}
        for part in parts:
            if fold(part) in whole:
                # London the region is London the municipality: one code for both.
                codes.extend(LONDON_CSDUID if r.code == "london" else r.code for r in REGIONS)
                continue
            good, code = self._area(sheet, row, col, part)
            ok &= good
            if good:
                codes.append(str(code))
        return ok, tuple(dict.fromkeys(codes))


#: Geocoder answers more useful to a member than "unknown name": they say what to type instead.
_PASSED_ON = frozenset({"geocode.error.ambiguous", "geocode.error.outside", "geocode.error.outside_place"})


def _finite(value: object) -> float | None:
    """A finite decimal number from a cell (a comma is read as the decimal mark), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = float(value) if abs(value) < 1e300 else math.inf
    elif isinstance(value, float):
        number = value
    else:
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def _whole(value: object) -> int | None:
    """An exact whole number from a cell, else None (fractions, text, dates, booleans, NaN, infinity).

    Integers stay exact (never through a float), so a huge count is reported as itself.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if not isinstance(value, str):
        return None
    text = re.sub(r"[\s\u00a0\u202f]", "", value)
    if re.fullmatch(r"[+-]?\d{1,30}", text):
        return int(text)
    number = _finite(text)
    return int(number) if number is not None and number.is_integer() and abs(number) < 1e30 else None


def _rows(raw: RawWorkbook, sheet: Sheet) -> Iterable[tuple[int, dict[str, object]]]:
    return raw.rows.get(sheet.key, [])


def validate_workbook(raw: RawWorkbook, gazetteer: Gazetteer) -> tuple[SubmissionContent | None, list[Problem]]:
    """Check everything and return (content, []) or (None, every problem found).

    At most :data:`MAX_PROBLEMS` problems are reported, the last one saying checking stopped.
    """
    check = _Checker(gazetteer)
    check.problems.extend(raw.problems[:MAX_PROBLEMS])
    try:
        return _validate(raw, gazetteer, check)
    except _TooManyProblems:
        notice = problem("", None, None, "", "workbook.too_many_problems", limit=MAX_PROBLEMS)
        return None, [*check.problems, notice]


def _validate(
    raw: RawWorkbook, gazetteer: Gazetteer, check: _Checker
) -> tuple[SubmissionContent | None, list[Problem]]:

    # Organisation ------------------------------------------------------------------------
    org_values: dict[str, object] = {}
    for col in ORGANISATION.columns:
        row, value = raw.organisation.get(col.key, (None, None))
        ok, clean = check.cell(ORGANISATION, row or 0, col, value)
        if ok:
            org_values[col.key] = clean if clean is not None else ""
    org_id = str(org_values.get("org_id") or "").strip().lower()
    if org_id and not _ORG_ID.match(org_id):
        row = raw.organisation.get("org_id", (None, None))[0]
        check.add(ORGANISATION, row, ORGANISATION.column("org_id"), org_id, "validation.org_id")
    org_values["org_id"] = org_id

    # Sites ---------------------------------------------------------------------------------
    sites: list[Site] = []
    site_rows: dict[str, int] = {}
    seen_sites: dict[tuple[str, str], int] = {}
    for row, cells in _rows(raw, SITES):
        values = {c.key: check.cell(SITES, row, c, cells.get(c.key)) for c in SITES.columns}
        code = values["site_code"][1]
        if values["site_code"][0] and code:
            if code in site_rows:
                check.add(
                    SITES,
                    row,
                    SITES.column("site_code"),
                    code,
                    "validation.duplicate_code",
                    other=site_rows[code],
                )
            else:
                site_rows[str(code)] = row
        if not all(ok for ok, _ in values.values()):
            continue
        lat, lon = values["latitude"][1], values["longitude"][1]
        if (lat is None) != (lon is None):
            check.add(
                SITES,
                row,
                SITES.column("latitude" if lat is None else "longitude"),
                lat or lon,
                "validation.coordinates_pair",
            )
            continue
        municipality_csd = str(values["municipality"][1])
        postal = values["postal_code"][1] or ""
        key = (place_key(str(values["name"][1])), municipality_csd)
        if key in seen_sites:
            check.add(
                SITES,
                row,
                SITES.column("name"),
                values["name"][1],
                "validation.duplicate_site",
                other=seen_sites[key],
            )
            continue
        seen_sites[key] = row
        if postal and lat is None:
            try:
                by_postal = geocode_postal(gazetteer, postal, place=str(cells.get("municipality") or ""))
            except UserError as err:
                check.add(SITES, row, SITES.column("postal_code"), postal, err.key, **err.fields)
                continue
            if by_postal.csduid != municipality_csd:
                check.add(
                    SITES,
                    row,
                    SITES.column("postal_code"),
                    postal,
                    "validation.postal_mismatch",
                    postal_place=by_postal.municipality,
                    municipality=gazetteer.name_of(municipality_csd),
                )
                continue
        try:
            placed = geocode_site(
                gazetteer,
                latitude=lat,
                longitude=lon,
                postal_code=postal,
                municipality=str(cells.get("municipality")),
            )
        except UserError as err:
            column = SITES.column("latitude" if lat is not None else "municipality")
            check.add(
                SITES,
                row,
                column,
                lat if lat is not None else cells.get("municipality"),
                err.key,
                **err.fields,
            )
            continue
        sites.append(
            Site(
                site_code=str(code),
                name=str(values["name"][1]),
                address=values["address"][1] or "",
                postal_code=postal,
                csduid=placed.csduid,
                region=placed.region,
                latitude=placed.latitude,
                longitude=placed.longitude,
                precision=placed.precision,
            )
        )

    # Services ------------------------------------------------------------------------------
    services: list[Service] = []
    service_rows: dict[str, int] = {}
    for row, cells in _rows(raw, SERVICES):
        values = {c.key: check.cell(SERVICES, row, c, cells.get(c.key)) for c in SERVICES.columns}
        code = values["service_code"][1]
        if values["service_code"][0] and code:
            if code in service_rows:
                check.add(
                    SERVICES,
                    row,
                    SERVICES.column("service_code"),
                    code,
                    "validation.duplicate_code",
                    other=service_rows[code],
                )
                continue
            service_rows[str(code)] = row
        site_code = values["site_code"][1] or ""
        if site_code and site_code not in site_rows:
            check.add(
                SERVICES,
                row,
                SERVICES.column("site_code"),
                site_code,
                "validation.unknown_site",
                known=", ".join(site_rows) or "—",
            )
            continue
        if not site_code and values["mode"][1] in ("in_person", "itinerant"):
            check.add(SERVICES, row, SERVICES.column("site_code"), "", "validation.site_required")
            continue
        if not all(ok for ok, _ in values.values()):
            continue
        services.append(
            Service(
                service_code=str(code),
                name=str(values["name"][1]),
                category=str(values["category"][1]),
                site_code=str(site_code),
                language=str(values["language"][1]),
                mode=str(values["mode"][1]),
                areas_served=values["areas_served"][1] or (),
                capacity=values["capacity"][1],
                description=values["description"][1] or "",
                status=values["status"][1] or "active",  # blank or an older workbook: active
            )
        )

    # Clients -------------------------------------------------------------------------------
    clients: list[ClientCount] = []
    seen_clients: dict[tuple[str, str, str], int] = {}
    for row, cells in _rows(raw, CLIENTS):
        values = {c.key: check.cell(CLIENTS, row, c, cells.get(c.key)) for c in CLIENTS.columns}
        if not all(ok for ok, _ in values.values()):
            continue
        key3 = (str(values["municipality"][1]), str(values["profile"][1]), str(values["category"][1] or ""))
        if key3 in seen_clients:
            check.add(
                CLIENTS,
                row,
                CLIENTS.column("municipality"),
                cells.get("municipality"),
                "validation.duplicate_row",
                other=seen_clients[key3],
                what="municipalité, profil, catégorie",
            )
            continue
        seen_clients[key3] = row
        clients.append(
            ClientCount(
                csduid=key3[0],
                profile=key3[1],
                count=int(values["count"][1]),  # type: ignore[arg-type]
                category=key3[2],
            )
        )

    # Needs ---------------------------------------------------------------------------------
    needs: list[Need] = []
    for row, cells in _rows(raw, NEEDS):
        values = {c.key: check.cell(NEEDS, row, c, cells.get(c.key)) for c in NEEDS.columns}
        if not all(ok for ok, _ in values.values()):
            continue
        needs.append(
            Need(
                category=str(values["category"][1]),
                area=str(values["area"][1]),
                clients=int(values["clients"][1]),
                severity=str(values["severity"][1]),  # type: ignore[arg-type]
                status=str(values["status"][1]),
                comment=values["comment"][1] or "",
            )
        )

    if not sites and not any(p.sheet == SITES.title for p in check.problems):
        check.add(SITES, None, None, "", "validation.no_sites")
    if check.problems:
        return None, check.problems
    try:
        content = SubmissionContent(
            organisation=Organisation(**{k: v for k, v in org_values.items() if k in Organisation.model_fields}),
            sites=tuple(sites),
            services=tuple(services),
            clients=tuple(clients),
            needs=tuple(needs),
        )
    except ValidationError as exc:  # a rule the cell checks missed: still located and bilingual
        for err in exc.errors():
            check.problems.append(
                Problem(
                    ORGANISATION.title,
                    None,
                    ".".join(map(str, err["loc"])),
                    str(err.get("input", "")),
                    err["msg"],
                    err["msg"],
                )
            )
        return None, check.problems
    return content, []


def summary(content: SubmissionContent, lang: str = "fr") -> str:
    """One line saying what a valid template holds."""
    return t(
        "validation.summary_ok",
        lang,
        org=content.organisation.name,
        sites=len(content.sites),  # type: ignore[arg-type]
        services=len(content.services),
        clients=len(content.clients),
        needs=len(content.needs),
    )
