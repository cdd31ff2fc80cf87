"""Check a member's answers and turn them into a :class:`SubmissionContent`.

Pure: the answers arrive as records (:class:`~cartography.answers.Answers`), whether the
workbook reader read them from a filled template or the online form collected them, and
this module reports every problem at once, each located where the member typed the value
(sheet or table, row, column or field) with a French and English message and a
suggestion where one is obvious. Each section has its own validator; the services are then
checked against the sites the member declared. Answers with any problem yield no content,
so nothing half-checked is ever stored.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError

from cartography.answers import UNREADABLE, Answers, Record, Source
from cartography.answers import Problem as Problem
from cartography.answers import problem as problem
from cartography.errors import UserError
from cartography.geocoding import Gazetteer, geocode_name, geocode_postal, geocode_site
from cartography.geography import LONDON_CSDUID, place_key
from cartography.i18n import Lang, t
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
_UNREADABLE = UNREADABLE
#: Longest raw text accepted in cells that are not free text, before any lookup: a name to
#: find in a list is short, and a long one would only cost time in fuzzy matching.
_RAW_LIMITS = {"vocab": 200, "municipality": 200, "area": 200, "postal": 20, "email": 254, "int": 40, "float": 40}
_MAX_AREAS = 100
#: Checking stops after this many problems: nobody reads more, and a hostile file cannot make
#: the report (or the time spent on suggestions) grow without end.
MAX_PROBLEMS = 500


@dataclass
class RawWorkbook:
    """Cell values as read, before any check.

    ``organisation`` maps a field key to (row number, value); ``rows`` maps a data sheet
    key to its non-empty, non-example rows as (row number, {column key: value}).
    """

    organisation: dict[str, tuple[int, object]] = field(default_factory=dict)
    rows: dict[str, list[tuple[int, dict[str, object]]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _suggest(key: str, **fields: object) -> tuple[str, str]:
    return t(key, "fr", **fields), t(key, "en", **fields)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _TooManyProblems(Exception):
    """Raised once :data:`MAX_PROBLEMS` problems are collected: the report is long enough."""


#: Messages that name a workbook's sheet or column, and their wording for the online form's
#: tables and fields.
_FORM_WORDING = {
    "validation.required": "records.required",
    "validation.unknown_site": "records.unknown_site",
    "validation.site_required": "records.site_required",
}


class Checker:
    """Reads values one by one, collecting problems instead of stopping at the first.

    Every section validator records its problems here, located in the wording of the
    answers' ``source`` (a workbook's sheet and column, or the form's table and field).
    """

    def __init__(self, gazetteer: Gazetteer, source: Source = "workbook") -> None:
        self.gaz = gazetteer
        self.source = source
        self.problems: list[Problem] = []

    def add(
        self,
        sheet: Sheet,
        row: int | None,
        column: Column | None,
        value: object,
        key: str,
        suggestion: tuple[str, str] | None = None,
        /,
        **fields: object,
    ) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooManyProblems
        if self.source == "form":
            key = _FORM_WORDING.get(key, key)
        column_title = column.title_fr if column else None
        self.problems.append(problem(sheet.title, row, column_title, value, key, suggestion, **fields))

    # -- cell readers: return the clean value, or None after recording a problem ----------
    def text(self, sheet: Sheet, row: int | None, col: Column, value: object) -> str | None:
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

    def _short_enough(self, sheet: Sheet, row: int | None, col: Column, text: str, limit: int) -> bool:
        """Length and readable characters, checked before any other work on the text."""
        if len(text) > limit:
            self.add(sheet, row, col, text, "validation.text_too_long", count=len(text), limit=limit)
            return False
        bad = _UNREADABLE.search(text)
        if bad is not None:
            self.add(sheet, row, col, text, "workbook.control_characters", position=bad.start() + 1)
            return False
        return True

    def cell(self, sheet: Sheet, row: int | None, col: Column, value: object) -> tuple[bool, object]:
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
        clean = self.text(sheet, row, col, value)
        return clean is not None, clean

    def _vocab(
        self, sheet: Sheet, row: int | None, col: Column, value: object, vocab: Vocabulary
    ) -> tuple[bool, object]:
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

    def _int(self, sheet: Sheet, row: int | None, col: Column, value: object) -> tuple[bool, object]:
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

    def _municipality(self, sheet: Sheet, row: int | None, col: Column, value: object) -> tuple[bool, object]:
        try:
            return True, geocode_name(self.gaz, str(value)).csduid
        except UserError as err:
            if err.key in _PASSED_ON:  # "Springfield": say which ones, not "unknown"
                self.add(sheet, row, col, value, err.key, **err.fields)
            else:
                self.add(sheet, row, col, value, "validation.unknown_municipality", self._name_suggestion(value))
            return False, None

    def _area(self, sheet: Sheet, row: int | None, col: Column, value: object) -> tuple[bool, object]:
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

    def _areas(self, sheet: Sheet, row: int | None, col: Column, value: object) -> tuple[bool, object]:
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


def records_from_workbook(raw: RawWorkbook) -> Answers:
    """The workbook's answers as records, each located by its sheet row (the organisation's
    fields each by their own row), with the problems the reader found."""
    organisation = Record(
        {key: value for key, (_, value) in raw.organisation.items()},
        field_rows={key: row for key, (row, _) in raw.organisation.items()},
    )
    sections = {key: tuple(Record(cells, row) for row, cells in rows) for key, rows in raw.rows.items()}
    return Answers(organisation, sections, "workbook", tuple(raw.problems))


def validate_workbook(raw: RawWorkbook, gazetteer: Gazetteer) -> tuple[SubmissionContent | None, list[Problem]]:
    """Check a workbook's cells: :func:`validate_records` on :func:`records_from_workbook`."""
    return validate_records(records_from_workbook(raw), gazetteer)


def validate_records(answers: Answers, gazetteer: Gazetteer) -> tuple[SubmissionContent | None, list[Problem]]:
    """Check everything and return (content, []) or (None, every problem found).

    Sections are checked in the template's order, each by its own validator, the services
    against the site codes the sites section declared. At most :data:`MAX_PROBLEMS`
    problems are reported, the last one saying checking stopped.
    """
    check = Checker(gazetteer, answers.source)
    check.problems.extend(answers.problems[:MAX_PROBLEMS])
    try:
        return _validate(answers, check)
    except _TooManyProblems:
        notice = problem("", None, None, "", "workbook.too_many_problems", limit=MAX_PROBLEMS)
        return None, [*check.problems, notice]


def _validate(answers: Answers, check: Checker) -> tuple[SubmissionContent | None, list[Problem]]:
    org_values = check_organisation(answers.organisation, check)
    sites, site_codes = check_sites(answers.records(SITES), check)
    services = check_services(answers.records(SERVICES), check, site_codes)
    clients = check_clients(answers.records(CLIENTS), check)
    needs = check_needs(answers.records(NEEDS), check)
    if not sites and not any(p.sheet == SITES.title for p in check.problems):
        check.add(SITES, None, None, "", "validation.no_sites")
    if check.problems:
        return None, check.problems
    try:
        content = SubmissionContent(
            organisation=Organisation.model_validate(
                {k: v for k, v in org_values.items() if k in Organisation.model_fields}
            ),
            sites=tuple(sites),
            services=tuple(services),
            clients=tuple(clients),
            needs=tuple(needs),
        )
    except ValidationError as exc:  # a rule the cell checks missed: still located and bilingual
        for err in exc.errors():
            where = ".".join(map(str, err["loc"]))
            check.problems.append(
                Problem(ORGANISATION.title, None, where, str(err.get("input", "")), err["msg"], err["msg"])
            )
        return None, check.problems
    return content, []


Cells = dict[str, tuple[bool, object]]


def _cells(check: Checker, sheet: Sheet, record: Record) -> Cells:
    """(ok, clean value) of every column of a record, problems recorded on the way."""
    return {c.key: check.cell(sheet, record.row, c, record.get(c.key)) for c in sheet.columns}


def _all_ok(values: Cells) -> bool:
    return all(ok for ok, _ in values.values())


def _new_code(check: Checker, sheet: Sheet, record: Record, values: Cells, key: str, codes: dict[str, int]) -> bool:
    """Record a member's code (site or service) with its row; False when an earlier row has it."""
    ok, code = values[key]
    if not ok or not code:
        return True
    if str(code) in codes:
        check.add(sheet, record.row, sheet.column(key), code, "validation.duplicate_code", other=codes[str(code)])
        return False
    codes[str(code)] = record.row or 0
    return True


# -- one validator per section ----------------------------------------------------------------


def check_organisation(record: Record, check: Checker) -> dict[str, object]:
    """The organisation's clean fields by key (blank optional fields as ""); the code lower-cased."""
    values: dict[str, object] = {}
    for col in ORGANISATION.columns:
        ok, clean = check.cell(ORGANISATION, record.row_of(col.key), col, record.get(col.key))
        if ok:
            values[col.key] = clean if clean is not None else ""
    org_id = str(values.get("org_id") or "").strip().lower()
    if org_id and not _ORG_ID.match(org_id):
        check.add(ORGANISATION, record.row_of("org_id"), ORGANISATION.column("org_id"), org_id, "validation.org_id")
    values["org_id"] = org_id
    return values


def check_sites(records: Iterable[Record], check: Checker) -> tuple[list[Site], dict[str, int]]:
    """The placed sites, and every site code declared (with its row) for the services to refer to.

    A code is declared as soon as it is readable and new, even if the rest of its row has
    problems: a service naming it is then not reported a second time.
    """
    sites: list[Site] = []
    codes: dict[str, int] = {}
    seen: dict[tuple[str, str], int | None] = {}
    for record in records:
        values = _cells(check, SITES, record)
        _new_code(check, SITES, record, values, "site_code", codes)
        if not _all_ok(values):
            continue
        site = _site(check, record, values, seen)
        if site is not None:
            sites.append(site)
    return sites, codes


def _float(value: object) -> float | None:
    """A checked decimal cell (a float, or None when left blank)."""
    return value if isinstance(value, float) else None


def _checked_int(value: object) -> int:
    """A checked, required whole-number cell."""
    assert isinstance(value, int)
    return value


def _site(check: Checker, record: Record, values: Cells, seen: dict[tuple[str, str], int | None]) -> Site | None:
    """One site, placed: coordinates in pairs, no repeated place, postal code and municipality agreeing."""
    row = record.row
    lat, lon = _float(values["latitude"][1]), _float(values["longitude"][1])
    if (lat is None) != (lon is None):
        column = SITES.column("latitude" if lat is None else "longitude")
        check.add(SITES, row, column, lat or lon, "validation.coordinates_pair")
        return None
    name, municipality_csd = str(values["name"][1]), str(values["municipality"][1])
    postal = str(values["postal_code"][1] or "")
    key = (place_key(name), municipality_csd)
    if key in seen:
        check.add(SITES, row, SITES.column("name"), name, "validation.duplicate_site", other=seen[key])
        return None
    seen[key] = row
    if postal and lat is None and not _postal_agrees(check, record, postal, municipality_csd):
        return None
    try:
        placed = geocode_site(
            check.gaz, latitude=lat, longitude=lon, postal_code=postal, municipality=str(record.get("municipality"))
        )
    except UserError as err:
        column = SITES.column("latitude" if lat is not None else "municipality")
        check.add(SITES, row, column, lat if lat is not None else record.get("municipality"), err.key, **err.fields)
        return None
    return Site(
        site_code=str(values["site_code"][1]),
        name=name,
        address=str(values["address"][1] or ""),
        postal_code=postal,
        csduid=placed.csduid,
        region=placed.region,
        latitude=placed.latitude,
        longitude=placed.longitude,
        precision=placed.precision,
    )


def _postal_agrees(check: Checker, record: Record, postal: str, municipality_csd: str) -> bool:
    """Whether a site's postal code is in the municipality given (recording why not)."""
    column = SITES.column("postal_code")
    try:
        by_postal = geocode_postal(check.gaz, postal, place=str(record.get("municipality") or ""))
    except UserError as err:
        check.add(SITES, record.row, column, postal, err.key, **err.fields)
        return False
    if by_postal.csduid != municipality_csd:
        check.add(
            SITES,
            record.row,
            column,
            postal,
            "validation.postal_mismatch",
            postal_place=by_postal.municipality,
            municipality=check.gaz.name_of(municipality_csd),
        )
        return False
    return True


def check_services(records: Iterable[Record], check: Checker, site_codes: dict[str, int]) -> list[Service]:
    """The services; each code new, each site code one the sites section declared
    (``site_codes``), a site given for in-person and itinerant services."""
    services: list[Service] = []
    codes: dict[str, int] = {}
    for record in records:
        values = _cells(check, SERVICES, record)
        if not _new_code(check, SERVICES, record, values, "service_code", codes):
            continue
        if not _site_known(check, record, values, site_codes) or not _all_ok(values):
            continue
        services.append(
            Service(
                service_code=str(values["service_code"][1]),
                name=str(values["name"][1]),
                category=str(values["category"][1]),
                site_code=str(values["site_code"][1] or ""),
                language=str(values["language"][1]),
                mode=str(values["mode"][1]),
                areas_served=values["areas_served"][1] or (),  # type: ignore[arg-type]
                capacity=values["capacity"][1],  # type: ignore[arg-type]
                description=str(values["description"][1] or ""),
                status=str(values["status"][1] or "active"),  # blank or an older workbook: active
            )
        )
    return services


def _site_known(check: Checker, record: Record, values: Cells, site_codes: dict[str, int]) -> bool:
    """The cross-section rule: a service's site is one of the sites section (and is given when needed)."""
    site_code = values["site_code"][1] or ""
    column = SERVICES.column("site_code")
    if site_code and site_code not in site_codes:
        known = ", ".join(site_codes) or "—"
        check.add(SERVICES, record.row, column, site_code, "validation.unknown_site", known=known)
        return False
    if not site_code and values["mode"][1] in ("in_person", "itinerant"):
        check.add(SERVICES, record.row, column, "", "validation.site_required")
        return False
    return True


def check_clients(records: Iterable[Record], check: Checker) -> list[ClientCount]:
    """Client counts; one row per municipality, profile and category (a repeat is to be added up)."""
    clients: list[ClientCount] = []
    seen: dict[tuple[str, str, str], int | None] = {}
    for record in records:
        values = _cells(check, CLIENTS, record)
        if not _all_ok(values):
            continue
        key = (str(values["municipality"][1]), str(values["profile"][1]), str(values["category"][1] or ""))
        if key in seen:
            check.add(
                CLIENTS,
                record.row,
                CLIENTS.column("municipality"),
                record.get("municipality"),
                "validation.duplicate_row",
                other=seen[key],
                what="municipalité, profil, catégorie",
            )
            continue
        seen[key] = record.row
        count = _checked_int(values["count"][1])
        clients.append(ClientCount(csduid=key[0], profile=key[1], count=count, category=key[2]))
    return clients


def check_needs(records: Iterable[Record], check: Checker) -> list[Need]:
    """Needs, each with its category, area, number of clients, severity and status."""
    needs: list[Need] = []
    for record in records:
        values = _cells(check, NEEDS, record)
        if not _all_ok(values):
            continue
        needs.append(
            Need(
                category=str(values["category"][1]),
                area=str(values["area"][1]),
                clients=_checked_int(values["clients"][1]),
                severity=str(values["severity"][1]),
                status=str(values["status"][1]),
                comment=str(values["comment"][1] or ""),
            )
        )
    return needs


def summary(content: SubmissionContent, lang: Lang = "fr") -> str:
    """One line saying what a valid template holds."""
    return t(
        "validation.summary_ok",
        lang,
        org=content.organisation.name,
        sites=len(content.sites),
        services=len(content.services),
        clients=len(content.clients),
        needs=len(content.needs),
    )
