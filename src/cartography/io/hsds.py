"""Open Referral HSDS 3.0 export: the cycle's directory of services as an open tabular package.

Why: none of the directories the committee knows shares its data in an open format. The
Human Services Data Specification (HSDS) 3.0 is the open standard for such directories; its
*tabular* serialisation is a Frictionless data package of CSV files. Anyone (211, a city, a
researcher) can load this export without knowing this tool.

What goes in, and from where:

* the **validated submissions** of the cycle (``Store.validated``): organisations, their sites
  (HSDS ``location`` with its ``address``), their services (``service``, ``service_at_location``,
  ``service_area``, ``language``), the organisation's phone and contact person;
* the project's **controlled lists** as published taxonomies (``taxonomy``,
  ``taxonomy_term``): service categories under their continuum stage (one hierarchy), the
  French service level (offre active, sur demande, interprétation, anglais), the mode of
  delivery and the organisation type, linked to services and organisations by ``attribute``
  rows;
* beside the package, in ``extra/``, what HSDS has no object for: published client counts,
  needs and gap indicators, taken from the **compiled, privacy-protected layers** (the same
  suppression and random rounding as every other export), never from raw counts.

Identifiers are UUID version 5 of a fixed project namespace and the stored codes (org id,
site code, service code), so the same organisation, site or service keeps its id from one
cycle to the next and from one run to the next.

Field names, types, formats, enumerations and required fields follow the HSDS 3.0 tabular
schema (openreferral/specification, ``schema/compiled/tabular.json``, version 3.0). The
field-by-field mapping is documented in ``docs/hsds.md``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cartography.errors import UserError
from cartography.io.formula_safety import neutralise_formula
from cartography.model import SERVICE_STATUSES, Service, Submission
from cartography.vocabulary import (
    CONTINUUM_STAGES,
    ORGANISATION_TYPES,
    REGIONS,
    SERVICE_CATEGORIES,
    SERVICE_LANGUAGES,
    SERVICE_MODES,
    Vocabulary,
    stage_of,
)

if TYPE_CHECKING:
    from cartography.compilation import Compiled

#: The HSDS version the tables and the datapackage follow.
HSDS_VERSION = "3.0"
#: Namespace of every identifier this export makes (uuid5 of a fixed name; never change it:
#: ids would change with it and consumers would see every record as new).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/clif-london/cartographie/hsds")
#: Folder of the non-HSDS files, beside the package.
EXTRA_DIR = "extra"
#: Compiled layers written in ``extra/`` (protected published values only).
EXTRA_LAYERS = ("clients_by_area", "needs_by_area", "gaps_region", "gaps_csd", "gaps_ct")


def stable_id(kind: str, *codes: str) -> str:
    """The UUID of one record: the same kind and codes give the same id, in any cycle.

    Parameters
    ----------
    kind:
        HSDS table (``organization``, ``location``, ``service`` ...).
    codes:
        The stored codes that identify the record (org id, site code, service code...).
    """
    return str(uuid.uuid5(NAMESPACE, "/".join((kind, *codes))))


# -- the tabular schema ------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One column of an HSDS table: its name, Frictionless type and format, enumeration and
    whether HSDS requires it (``required`` in the schema or ``tabular_required``)."""

    name: str
    type: str = "string"
    format: str = "default"
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()


def _id() -> Field:
    return Field("id", format="uuid", required=True, unique=True)


def _ref(name: str, required: bool = False) -> Field:
    return Field(name, format="uuid", required=required)


def _texts(*names: str) -> tuple[Field, ...]:
    """Optional plain-text fields, the most common kind: one line for a run of them."""
    return tuple(Field(name) for name in names)


def _uri(name: str) -> Field:
    return Field(name, format="uri")


def _email(name: str = "email") -> Field:
    return Field(name, format="email")


def _number(name: str) -> Field:
    return Field(name, type="number")


def _table(file: str, *fields: Field) -> tuple[str, tuple[Field, ...]]:
    """One table: its file and its fields, ``id`` first as in every HSDS table."""
    return file, (_id(), *fields)


_ADDRESS_TYPES = ("physical", "postal", "virtual")

#: Every table exported: resource name -> (file name, fields in HSDS order). Scalar fields only
#: (arrays of related objects are other tables in the tabular form).
TABLES: dict[str, tuple[str, tuple[Field, ...]]] = {
    "organization": _table(
        "organizations.csv",
        Field("name", required=True),
        Field("alternate_name"),
        Field("description", required=True),
        _email(),
        _uri("website"),
        *_texts("tax_status", "tax_id"),
        _number("year_incorporated"),
        *_texts("legal_status", "logo"),
        _uri("uri"),
        _ref("parent_organization_id"),
    ),
    "service": _table(
        "services.csv",
        _ref("organization_id", required=True),
        _ref("program_id"),
        Field("name", required=True),
        *_texts("alternate_name", "description"),
        _uri("url"),
        _email(),
        Field("status", required=True, enum=SERVICE_STATUSES.codes),
        *_texts(
            "interpretation_services",
            "application_process",
            "fees_description",
            "wait_time",
            "fees",
            "accreditations",
            "eligibility_description",
        ),
        _number("minimum_age"),
        _number("maximum_age"),
        Field("assured_date", type="date"),
        _email("assurer_email"),
        *_texts("licenses", "alert"),
        Field("last_modified", type="datetime"),
    ),
    "attribute": _table(
        "attributes.csv",
        _ref("link_id", required=True),
        _ref("taxonomy_term_id", required=True),
        Field("link_type"),
        Field("link_entity", required=True),
        Field("value"),
    ),
    "service_at_location": _table(
        "service_at_location.csv",
        _ref("service_id", required=True),
        _ref("location_id", required=True),
        Field("description"),
    ),
    "location": _table(
        "locations.csv",
        Field("location_type", required=True, enum=_ADDRESS_TYPES),
        _uri("url"),
        _ref("organization_id"),
        *_texts("name", "alternate_name", "description", "transportation"),
        _number("latitude"),
        _number("longitude"),
        *_texts("external_identifier", "external_identifier_type"),
    ),
    "phone": _table(
        "phones.csv",
        _ref("location_id"),
        _ref("service_id"),
        _ref("organization_id"),
        _ref("contact_id"),
        _ref("service_at_location_id"),
        Field("number", required=True),
        _number("extension"),
        *_texts("type", "description"),
    ),
    "contact": _table(
        "contacts.csv",
        _ref("organization_id"),
        _ref("service_id"),
        _ref("service_at_location_id"),
        _ref("location_id"),
        *_texts("name", "title", "department"),
        _email(),
    ),
    "address": _table(
        "addresses.csv",
        _ref("location_id"),
        Field("attention"),
        Field("address_1", required=True),
        Field("address_2"),
        Field("city", required=True),
        Field("region"),
        Field("state_province", required=True),
        Field("postal_code", required=True),
        Field("country", required=True),
        Field("address_type", required=True, enum=_ADDRESS_TYPES),
    ),
    "service_area": _table(
        "service_areas.csv",
        _ref("service_id"),
        *_texts("name", "description", "extent", "extent_type", "uri"),
    ),
    "language": _table(
        "languages.csv",
        _ref("service_id"),
        _ref("location_id"),
        _ref("phone_id"),
        *_texts("name", "code", "note"),
    ),
    "taxonomy_term": _table(
        "taxonomy_terms.csv",
        Field("code", unique=True),
        Field("name", required=True),
        Field("description", required=True),
        _ref("parent_id"),
        # No plain-text ``taxonomy`` column: draft 3.0 schemas type it as an object and later
        # ones as text; the taxonomy is reached through ``taxonomy_id`` in both.
        Field("language"),
        _ref("taxonomy_id"),
        _uri("term_uri"),
    ),
    "taxonomy": _table(
        "taxonomies.csv",
        Field("name", required=True),
        Field("description", required=True),
        _uri("uri"),
        Field("version"),
    ),
}

#: Foreign keys checked by Frictionless: (table, field) -> referenced table (its ``id``).
FOREIGN_KEYS: dict[tuple[str, str], str] = {
    ("service", "organization_id"): "organization",
    ("location", "organization_id"): "organization",
    ("service_at_location", "service_id"): "service",
    ("service_at_location", "location_id"): "location",
    ("service_area", "service_id"): "service",
    ("language", "service_id"): "service",
    ("phone", "organization_id"): "organization",
    ("contact", "organization_id"): "organization",
    ("address", "location_id"): "location",
    ("attribute", "taxonomy_term_id"): "taxonomy_term",
    ("taxonomy_term", "taxonomy_id"): "taxonomy",
    ("taxonomy_term", "parent_id"): "taxonomy_term",
}

# -- taxonomies ----------------------------------------------------------------------------------

#: Published taxonomies: key -> (name, description, vocabulary or None for the category tree).
TAXONOMIES: dict[str, tuple[str, str]] = {
    "categories": (
        "Cartographie CLIF London : continuum et catégories de services",
        "Étapes du continuum d'immigration francophone et catégories de services (composantes du Programme "
        "d'établissement d'IRCC et secteurs du comité). / Francophone immigration continuum stages and service "
        "categories (IRCC Settlement Program components and the committee's sectors).",
    ),
    "french_service_level": (
        "Cartographie CLIF London : niveau de service en français",
        "Offre active, sur demande, par interprétation seulement, anglais seulement. Seules les deux premières "
        "comptent comme service en français. / Active offer, on request, through interpretation only, English "
        "only. Only the first two count as service in French.",
    ),
    "delivery_mode": (
        "Cartographie CLIF London : mode de prestation",
        "En personne sur place, virtuel, itinérant. / In person at a site, virtual, itinerant.",
    ),
    "organization_type": (
        "Cartographie CLIF London : type d'organisme",
        "Type d'organisme membre ou partenaire du comité. / Type of member or partner organisation.",
    ),
}
_TAXONOMY_VOCABS: dict[str, Vocabulary] = {
    "french_service_level": SERVICE_LANGUAGES,
    "delivery_mode": SERVICE_MODES,
    "organization_type": ORGANISATION_TYPES,
}
#: ``attribute.link_type`` of each taxonomy (an open code list in HSDS).
LINK_TYPES = {
    "categories": "service_category",
    "french_service_level": "french_service_level",
    "delivery_mode": "delivery_mode",
    "organization_type": "organization_type",
}


#: Code prefix of continuum stages in the category taxonomy.
STAGE_PREFIX = "stage."


def _term_code(taxonomy: str, code: str) -> str:
    """``taxonomy_term.code`` is unique over the whole table: qualify it by its taxonomy."""
    return f"{taxonomy}:{code}"


def term_id(taxonomy: str, code: str) -> str:
    """Stable id of one term of one of the project's taxonomies."""
    return stable_id("taxonomy_term", taxonomy, code)


def _taxonomy_rows() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    taxonomies: list[dict[str, object]] = [
        {"id": stable_id("taxonomy", key), "name": name, "description": text, "version": "1"}
        for key, (name, text) in TAXONOMIES.items()
    ]
    tax_ids = {key: stable_id("taxonomy", key) for key in TAXONOMIES}

    def term(key: str, code: str, fr: str, en: str, parent: str = "") -> dict[str, object]:
        return {
            "id": term_id(key, code),
            "code": _term_code(key, code),
            "name": fr,
            "description": en,
            "parent_id": parent,
            "language": "fr",
            "taxonomy_id": tax_ids[key],
        }

    # Stages and categories share one hierarchy but not their codes ("reception" is both a
    # stage and a category): stages are ``stage.<code>``.
    terms = [term("categories", STAGE_PREFIX + s.code, s.fr, s.en) for s in CONTINUUM_STAGES]
    terms += [
        term("categories", c.code, c.fr, c.en, term_id("categories", STAGE_PREFIX + stage_of(c.code)))
        for c in SERVICE_CATEGORIES
    ]
    for key, vocab in _TAXONOMY_VOCABS.items():
        terms += [term(key, x.code, x.fr, x.en) for x in vocab]
    return taxonomies, terms


# -- building the tables -------------------------------------------------------------------------


def _website(text: str) -> str:
    """A website as a URI (``www.x.ca`` becomes ``https://www.x.ca``); empty if it is not one."""
    text = text.strip()
    if not text:
        return ""
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
        text = "https://" + text
    return text if re.match(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", text, re.I) else ""


def default_description(sub: Submission) -> str:
    """HSDS requires an organisation description; the member's own, else one made from what
    it reported (its name and type), so submissions made before it was asked still export."""
    org = sub.content.organisation
    if org.description.strip():
        return org.description.strip()
    kind = ORGANISATION_TYPES.label(org.org_type, "fr")
    return f"{org.name} ({kind.lower()}), membre ou partenaire du CLIF de London et comtés environnants."


def _area_name(code: str, municipalities: Mapping[str, str]) -> str:
    return REGIONS.label(code, "fr") if code in REGIONS else municipalities.get(code, code)


#: The tables under construction: resource name -> rows (dicts keyed by HSDS field names).
Tables = dict[str, list[dict[str, object]]]


def _add_attribute(tables: Tables, link_entity: str, link_id: str, taxonomy: str, code: str) -> None:
    """Link one record to one term of one of the project's taxonomies (an ``attribute`` row)."""
    tables["attribute"].append(
        {
            "id": stable_id("attribute", link_entity, link_id, taxonomy),
            "link_id": link_id,
            "taxonomy_term_id": term_id(taxonomy, code),
            "link_type": LINK_TYPES[taxonomy],
            "link_entity": link_entity,
        }
    )


def _add_organisation(tables: Tables, sub: Submission, *, include_contacts: bool) -> str:
    """The organisation, its type, its phone (when given) and its contact person (when
    published); returns its id, which its sites and services point to."""
    org = sub.content.organisation
    org_id = stable_id("organization", sub.org_id)
    tables["organization"].append(
        {
            "id": org_id,
            "name": org.name,
            "description": default_description(sub),
            "email": org.email,
            "website": _website(org.website),
        }
    )
    _add_attribute(tables, "organization", org_id, "organization_type", org.org_type)
    if org.phone.strip():
        tables["phone"].append(
            {
                "id": stable_id("phone", sub.org_id),
                "organization_id": org_id,
                "number": org.phone.strip(),
                "type": "voice",
            }
        )
    if include_contacts:
        tables["contact"].append(
            {
                "id": stable_id("contact", sub.org_id),
                "organization_id": org_id,
                "name": org.contact_name,
                "email": org.email,
            }
        )
    return org_id


def _add_sites(tables: Tables, sub: Submission, org_id: str, municipalities: Mapping[str, str]) -> dict[str, str]:
    """The organisation's sites as ``location`` rows, each with its ``address`` when the street
    address and postal code are both known; returns site code -> location id."""
    locations: dict[str, str] = {}
    for site in sub.content.sites:
        loc_id = stable_id("location", sub.org_id, site.site_code)
        locations[site.site_code] = loc_id
        tables["location"].append(
            {
                "id": loc_id,
                "location_type": "physical",
                "organization_id": org_id,
                "name": site.name,
                "latitude": round(site.latitude, 6),
                "longitude": round(site.longitude, 6),
                "external_identifier": site.site_code,
                "external_identifier_type": "cartographie:site_code",
            }
        )
        if site.address.strip() and site.postal_code.strip():
            tables["address"].append(
                {
                    "id": stable_id("address", sub.org_id, site.site_code),
                    "location_id": loc_id,
                    "address_1": site.address.strip(),
                    "city": municipalities.get(site.csduid, site.csduid),
                    "region": REGIONS.label(site.region, "fr") if site.region in REGIONS else "",
                    "state_province": "ON",
                    "postal_code": site.postal_code,
                    "country": "CA",
                    "address_type": "physical",
                }
            )
    return locations


def _service_language(language: str) -> dict[str, object]:
    """The HSDS ``language`` row's name, code and note for a French service level; empty for
    interpretation only, which HSDS ``language`` excludes (it is in ``interpretation_services``)."""
    if language in ("fr_active", "fr_on_request"):
        note = SERVICE_LANGUAGES.label(language, "fr") + " / " + SERVICE_LANGUAGES.label(language, "en")
        return {"name": "français", "code": "fr", "note": note}
    if language == "en_only":
        return {"name": "anglais", "code": "en", "note": "English only / anglais seulement"}
    return {}


def _add_service(
    tables: Tables,
    sub: Submission,
    svc: Service,
    org_id: str,
    locations: Mapping[str, str],
    municipalities: Mapping[str, str],
) -> None:
    """One service: its row, its three taxonomy attributes, its language, the site it is
    offered at (when that site is known) and the areas it serves."""
    svc_id = stable_id("service", sub.org_id, svc.service_code)
    interpretation = ""
    if svc.language == "fr_interpretation":
        interpretation = "Français par interprétation seulement. / French through interpretation only."
    tables["service"].append(
        {
            "id": svc_id,
            "organization_id": org_id,
            "name": svc.name,
            "description": svc.description,
            "status": svc.status,
            "interpretation_services": interpretation,
            "assured_date": sub.validated_at.date().isoformat() if sub.validated_at else "",
        }
    )
    _add_attribute(tables, "service", svc_id, "categories", svc.category)
    _add_attribute(tables, "service", svc_id, "french_service_level", svc.language)
    _add_attribute(tables, "service", svc_id, "delivery_mode", svc.mode)
    language = _service_language(svc.language)
    if language:
        tables["language"].append(
            {"id": stable_id("language", sub.org_id, svc.service_code), "service_id": svc_id, **language}
        )
    if svc.site_code and svc.site_code in locations:
        tables["service_at_location"].append(
            {
                "id": stable_id("service_at_location", sub.org_id, svc.service_code, svc.site_code),
                "service_id": svc_id,
                "location_id": locations[svc.site_code],
            }
        )
    for area in svc.areas_served:
        tables["service_area"].append(_service_area_row(sub, svc, svc_id, area, municipalities))


def _service_area_row(
    sub: Submission, svc: Service, svc_id: str, area: str, municipalities: Mapping[str, str]
) -> dict[str, object]:
    """One area a service serves, a region or a municipality (CSD), named in French."""
    level = "région / region" if area in REGIONS else "SDR / CSD"
    return {
        "id": stable_id("service_area", sub.org_id, svc.service_code, area),
        "service_id": svc_id,
        "name": _area_name(area, municipalities),
        "description": f"{level} {area}",
        "extent": area,
        "extent_type": "text",
    }


def build_tables(
    submissions: Iterable[Submission],
    municipalities: Mapping[str, str],
    *,
    include_contacts: bool = True,
) -> Tables:
    """The HSDS tables (rows as dicts keyed by HSDS field names) of validated submissions.

    Parameters
    ----------
    submissions:
        The cycle's validated submissions, one per organisation.
    municipalities:
        CSDUID -> municipality name, to name service areas and address cities.
    include_contacts:
        Publish the organisation's contact person (name, email). On by default because the
        template asks for the organisation's public contact; off for a directory that must
        carry no personal names.
    """
    tables: Tables = {name: [] for name in TABLES}
    tables["taxonomy"], tables["taxonomy_term"] = _taxonomy_rows()
    for sub in sorted(submissions, key=lambda s: s.org_id):
        org_id = _add_organisation(tables, sub, include_contacts=include_contacts)
        locations = _add_sites(tables, sub, org_id, municipalities)
        for svc in sub.content.services:
            _add_service(tables, sub, svc, org_id, locations, municipalities)
    codes = [row["code"] for row in tables["taxonomy_term"]]
    if len(set(codes)) != len(codes):  # HSDS: taxonomy_term.code is unique
        raise ValueError("duplicate taxonomy term code")
    return tables


# -- writing -------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(neutralise_formula(value)) if isinstance(value, str) else str(value)
    return text


def _write_csv(path: Path, fields: tuple[Field, ...], rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([f.name for f in fields])
        for row in rows:
            writer.writerow([_cell(row.get(f.name)) for f in fields])


def _field_schema(field: Field) -> dict[str, object]:
    out: dict[str, object] = {"name": field.name, "type": field.type}
    if field.format != "default":
        out["format"] = field.format
    constraints: dict[str, object] = {}
    if field.required:
        constraints["required"] = True
    if field.unique:
        constraints["unique"] = True
    if field.enum:
        constraints["enum"] = list(field.enum)
    if constraints:
        out["constraints"] = constraints
    return out


def datapackage(cycle: str, created: str, extra: list[str]) -> dict[str, object]:
    """The ``datapackage.json`` of the export: each HSDS table with its schema (field names,
    types, formats, required fields, enumerations), primary key and foreign keys."""
    resources = []
    for name, (path, fields) in TABLES.items():
        schema: dict[str, object] = {"fields": [_field_schema(f) for f in fields], "primaryKey": ["id"]}
        keys = [
            {"fields": [field], "reference": {"resource": "" if target == name else target, "fields": ["id"]}}
            for (table, field), target in FOREIGN_KEYS.items()
            if table == name
        ]
        if keys:
            schema["foreignKeys"] = keys
        resources.append(
            {
                "name": name,
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "name": f"cartographie-hsds-{cycle}",
        "title": f"Cartographie des services en français (CLIF de London), cycle {cycle} : HSDS {HSDS_VERSION}",
        "description": (
            "Répertoire des services offerts aux immigrants francophones de London, Middlesex, Elgin et Oxford, "
            "selon la norme Open Referral HSDS 3.0 (format tabulaire). Les effectifs de clients, besoins et "
            "lacunes (protégés : 1 à 4 supprimés, autres arrondis à 5) sont dans le dossier extra/, hors HSDS. / "
            "Directory of services for francophone immigrants in London, Middlesex, Elgin and Oxford, in the Open "
            "Referral HSDS 3.0 tabular format. Client counts, needs and gaps (protected) are in extra/, outside HSDS."
        ),
        "profile": "tabular-data-package",
        "version": HSDS_VERSION,
        "created": created,
        "keywords": ["HSDS", "Open Referral", "francophone", cycle],
        "x_hsds_version": HSDS_VERSION,
        "x_extra_files": extra,
        "resources": resources,
    }


def _write_extras(compiled: Compiled, folder: Path) -> list[str]:
    """Published (protected) compiled layers as CSV in ``extra/``; never raw counts."""
    from cartography.io.exports import write_layers

    target = folder / EXTRA_DIR
    target.mkdir()
    names = []
    for layer in EXTRA_LAYERS:
        if layer not in compiled.layers:
            continue
        (written,) = write_layers(compiled, target / f"{layer}.csv", "csv", layer=layer)
        names.append(f"{EXTRA_DIR}/{written.name}")
    return names


def write_hsds(
    submissions: list[Submission],
    municipalities: Mapping[str, str],
    target: Path,
    cycle: str,
    *,
    compiled: Compiled | None = None,
    include_contacts: bool = True,
    demo: bool = False,
) -> Path:
    """Write the HSDS package of ``cycle`` to folder ``target`` or, for a ``.zip`` name, one archive.

    Written in a temporary folder first, then moved: a failed export leaves no half package.
    ``compiled`` (a :class:`cartography.compilation.Compiled` of the same cycle) adds the
    protected extras. A folder target must not exist or be empty (nothing is overwritten).
    """
    target = Path(target)
    as_zip = target.suffix.lower() == ".zip"
    if not as_zip and target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UserError("hsds.error.target_exists", path=str(target))
    tables = build_tables(submissions, municipalities, include_contacts=include_contacts)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="carto-hsds-", dir=target.parent) as tmp:
        folder = Path(tmp) / "package"
        folder.mkdir()
        for name, (path, fields) in TABLES.items():
            _write_csv(folder / path, fields, tables[name])
        extra = _write_extras(compiled, folder) if compiled is not None else []
        if demo:
            note = folder / EXTRA_DIR / "LISEZMOI-README.txt"
            note.parent.mkdir(exist_ok=True)
            note.write_text("Données fictives de démonstration. / Fictitious demonstration data.\n", encoding="utf-8")
            extra.append(f"{EXTRA_DIR}/{note.name}")
        created = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        package = datapackage(cycle, created, extra)
        if demo:
            package["title"] = f"{package['title']} (données fictives / fictitious data)"
        (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=1), "utf-8")
        if as_zip:
            partial = target.with_name(target.name + ".partial")
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                for file in sorted(folder.rglob("*")):
                    if file.is_file():
                        archive.write(file, file.relative_to(folder).as_posix())
            partial.replace(target)
        else:
            if target.exists():
                target.rmdir()
            folder.replace(target)
    return target


# -- reading back --------------------------------------------------------------------------------


def read_hsds(source: Path) -> dict[str, pd.DataFrame]:
    """Every HSDS table of an export (folder or ``.zip``) as text columns, by resource name.

    The reader follows ``datapackage.json`` (resource name -> path), so it reads any HSDS
    tabular package laid out the same way, not only ours.
    """
    source = Path(source)
    if source.suffix.lower() == ".zip":
        with zipfile.ZipFile(source) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
    else:
        files = {p.relative_to(source).as_posix(): p.read_bytes() for p in source.rglob("*") if p.is_file()}
    package = json.loads(files["datapackage.json"])
    return {
        r["name"]: pd.read_csv(io.BytesIO(files[r["path"]]), dtype=str, keep_default_na=False)
        for r in package["resources"]
    }


__all__ = [
    "EXTRA_LAYERS",
    "FOREIGN_KEYS",
    "HSDS_VERSION",
    "NAMESPACE",
    "TABLES",
    "build_tables",
    "datapackage",
    "default_description",
    "read_hsds",
    "stable_id",
    "write_hsds",
]
