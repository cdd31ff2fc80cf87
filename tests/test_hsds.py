"""Open Referral HSDS 3.0 export: schema, data package, foreign keys, round trip, stable ids.

No official HSDS 3.0 validator is installable here (no ``hsds-validator`` on the package
mirror, no npm package, no internet). So:

1. every exported row is validated against a JSON Schema per table written below by hand
   from the HSDS 3.0 reference (openreferral/specification, ``schema/*.json`` and
   ``schema/compiled/tabular.json`` at version 3.0): required fields (``required`` and
   ``tabular_required``), types, formats (uuid, email, uri, date) and enumerations;
2. when ``CARTO_HSDS_SCHEMA_DIR`` names a folder holding the official ``schema/*.json``
   files, every row is also validated against those (skipped, and said so, when unset);
3. the ``datapackage.json`` is validated by Frictionless, foreign keys included;
4. the export is read back and compared with the store; ids are compared across the two
   demo cycles.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import uuid
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook

from cartography.io.hsds import FOREIGN_KEYS, NAMESPACE, TABLES, read_hsds, stable_id, term_id, write_hsds

# -- JSON Schemas written from the HSDS 3.0 reference (version 3.0) ----------------------------
# Each table: required fields (HSDS "required" plus "tabular_required"), and the typed fields
# with their format or enumeration. A field not listed is a plain string.

_UUID = {"type": "string", "format": "uuid"}
_EMAIL = {"type": "string", "format": "email"}
_URI = {"type": "string", "format": "uri"}
_DATE = {"type": "string", "format": "date"}
_NUMBER = {"type": "number"}
_KINDS = ("physical", "postal", "virtual")


def _schema(required: list[str], typed: dict[str, dict], strings: list[str]) -> dict:
    properties = {name: {"type": "string"} for name in strings}
    properties.update(typed)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


HSDS_30_SCHEMAS: dict[str, dict] = {
    "organization": _schema(
        ["id", "name", "description"],
        {
            "id": _UUID,
            "email": _EMAIL,
            "website": _URI,
            "uri": _URI,
            "year_incorporated": _NUMBER,
            "parent_organization_id": _UUID,
        },
        ["name", "alternate_name", "description", "tax_status", "tax_id", "legal_status", "logo"],
    ),
    "service": _schema(
        ["id", "name", "status", "organization_id"],
        {
            "id": _UUID,
            "organization_id": _UUID,
            "program_id": _UUID,
            "url": _URI,
            "email": _EMAIL,
            "status": {"type": "string", "enum": ["active", "inactive", "defunct", "temporarily closed"]},
            "minimum_age": _NUMBER,
            "maximum_age": _NUMBER,
            "assured_date": _DATE,
            "assurer_email": _EMAIL,
            "last_modified": {"type": "string", "format": "date-time"},
        },
        [
            "name",
            "alternate_name",
            "description",
            "interpretation_services",
            "application_process",
            "fees_description",
            "wait_time",
            "fees",
            "accreditations",
            "eligibility_description",
            "licenses",
            "alert",
        ],
    ),
    "attribute": _schema(
        ["id", "link_id", "taxonomy_term_id", "link_entity"],
        {"id": _UUID, "link_id": _UUID, "taxonomy_term_id": _UUID},
        ["link_type", "link_entity", "value"],
    ),
    "service_at_location": _schema(
        ["id", "service_id", "location_id"],
        {"id": _UUID, "service_id": _UUID, "location_id": _UUID},
        ["description"],
    ),
    "location": _schema(
        ["id", "location_type"],
        {
            "id": _UUID,
            "location_type": {"type": "string", "enum": list(_KINDS)},
            "url": _URI,
            "organization_id": _UUID,
            "latitude": {"type": "number", "minimum": -90, "maximum": 90},
            "longitude": {"type": "number", "minimum": -180, "maximum": 180},
        },
        ["name", "alternate_name", "description", "transportation", "external_identifier", "external_identifier_type"],
    ),
    "phone": _schema(
        ["id", "number"],
        {
            "id": _UUID,
            "location_id": _UUID,
            "service_id": _UUID,
            "organization_id": _UUID,
            "contact_id": _UUID,
            "service_at_location_id": _UUID,
            "extension": _NUMBER,
        },
        ["number", "type", "description"],
    ),
    "contact": _schema(
        ["id"],
        {
            "id": _UUID,
            "organization_id": _UUID,
            "service_id": _UUID,
            "service_at_location_id": _UUID,
            "location_id": _UUID,
            "email": _EMAIL,
        },
        ["name", "title", "department"],
    ),
    "address": _schema(
        ["id", "address_1", "city", "state_province", "postal_code", "country", "address_type"],
        {"id": _UUID, "location_id": _UUID, "address_type": {"type": "string", "enum": list(_KINDS)}},
        ["attention", "address_1", "address_2", "city", "region", "state_province", "postal_code", "country"],
    ),
    "service_area": _schema(
        ["id"],
        {"id": _UUID, "service_id": _UUID},
        ["name", "description", "extent", "extent_type", "uri"],
    ),
    "language": _schema(
        ["id"],
        {"id": _UUID, "service_id": _UUID, "location_id": _UUID, "phone_id": _UUID},
        ["name", "code", "note"],
    ),
    "taxonomy_term": _schema(
        ["id", "name", "description"],
        {"id": _UUID, "parent_id": _UUID, "taxonomy_id": _UUID, "term_uri": _URI},
        ["code", "name", "description", "language"],
    ),
    "taxonomy": _schema(
        ["id", "name", "description"],
        {"id": _UUID, "uri": _URI},
        ["name", "description", "version"],
    ),
}

_FORMATS = jsonschema.FormatChecker()


@_FORMATS.checks("uri", raises=ValueError)
def _is_uri(value: object) -> bool:  # rfc3987 is not installed: an absolute URI with a scheme
    return not isinstance(value, str) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]+$", value) is not None


@_FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    return not isinstance(value, str) or str(uuid.UUID(value)) == value


def _objects(table: str, rows) -> list[dict]:  # type: ignore[no-untyped-def]
    """CSV rows as HSDS objects: an empty cell is an absent field, numbers are numbers."""
    numbers = {f.name for f in TABLES[table][1] if f.type == "number"}
    out = []
    for row in rows.to_dict("records"):
        item = {}
        for key, value in row.items():
            if value == "":
                continue
            item[key] = float(value) if key in numbers else value
        out.append(item)
    return out


@pytest.fixture(scope="module")
def exports(demo_store, geography, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Both demo cycles exported: 2019-2020 as a folder, 2020-2021 as a zip."""
    from cartography.services.files import export_hsds

    folder = tmp_path_factory.mktemp("hsds")
    first = folder / "hsds-2019-2020"
    second = folder / "hsds-2020-2021.zip"
    counts = export_hsds(demo_store, geography, "2019-2020", first)
    export_hsds(demo_store, geography, "2020-2021", second)
    return {"2019-2020": first, "2020-2021": second, "counts": counts}


def test_every_row_follows_the_hsds_30_tables(exports) -> None:  # type: ignore[no-untyped-def]
    for cycle in ("2019-2020", "2020-2021"):
        tables = read_hsds(exports[cycle])
        assert set(tables) == set(HSDS_30_SCHEMAS)
        for name, frame in tables.items():
            validator = jsonschema.Draft202012Validator(HSDS_30_SCHEMAS[name], format_checker=_FORMATS)
            for item in _objects(name, frame):
                errors = [e.message for e in validator.iter_errors(item)]
                assert not errors, (cycle, name, item, errors)
            assert frame["id"].is_unique, (cycle, name)
        assert len(tables["organization"]) == 9
        assert len(tables["taxonomy"]) == 4


def test_the_hand_schemas_catch_what_hsds_forbids() -> None:
    """The schemas above can fail: a bad status, a non-uuid id, a missing description."""
    service = {"id": str(uuid.uuid4()), "organization_id": str(uuid.uuid4()), "name": "x", "status": "active"}
    check = jsonschema.Draft202012Validator(HSDS_30_SCHEMAS["service"], format_checker=_FORMATS)
    assert check.is_valid(service)
    assert not check.is_valid({**service, "status": "open"})
    assert not check.is_valid({**service, "id": "ccfl-SV1"})
    org = jsonschema.Draft202012Validator(HSDS_30_SCHEMAS["organization"], format_checker=_FORMATS)
    assert not org.is_valid({"id": str(uuid.uuid4()), "name": "x"})
    assert not org.is_valid({"id": str(uuid.uuid4()), "name": "x", "description": "y", "website": "www.x.ca"})


def test_official_hsds_schemas_when_available(exports) -> None:  # type: ignore[no-untyped-def]
    """Against the specification's own ``schema/<table>.json`` files, when provided."""
    folder = os.environ.get("CARTO_HSDS_SCHEMA_DIR")
    if not folder:
        pytest.skip("CARTO_HSDS_SCHEMA_DIR is not set: official HSDS 3.0 schema files not available here")
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    files = {p.name: json.loads(p.read_text("utf-8")) for p in Path(folder).glob("*.json")}
    # Registered by file name (their "$ref"s are relative file names) and by "$id" when they have one.
    resources = [
        (name, Resource.from_contents(body, default_specification=DRAFT202012)) for name, body in files.items()
    ]
    resources += [
        (body["$id"], resource) for (_, resource), body in zip(resources, files.values(), strict=True) if "$id" in body
    ]
    registry = Registry().with_resources(resources)
    tables = read_hsds(exports["2019-2020"])
    for name, frame in tables.items():
        schema = files[f"{name}.json"]
        validator = jsonschema.Draft202012Validator(schema, registry=registry, format_checker=_FORMATS)
        for item in _objects(name, frame):
            assert not list(validator.iter_errors(item)), (name, item)


def test_datapackage_is_valid_for_frictionless_with_foreign_keys(exports) -> None:  # type: ignore[no-untyped-def]
    from frictionless import Package, validate

    package_file = exports["2019-2020"] / "datapackage.json"
    report = validate(str(package_file))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(package_file))
    assert package.get_resource("organization").path == "organizations.csv"
    service = package.get_resource("service").schema
    assert service.get_field("status").constraints["enum"] == ["active", "inactive", "defunct", "temporarily closed"]
    assert service.get_field("id").format == "uuid"
    assert {fk["fields"][0] for fk in service.foreign_keys} == {"organization_id"}


def test_frictionless_catches_a_broken_foreign_key(exports, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The package check can fail: a service pointing to no organisation is reported."""
    import shutil

    from frictionless import validate

    copy_dir = tmp_path / "broken"
    shutil.copytree(exports["2019-2020"], copy_dir)
    services = copy_dir / "services.csv"
    lines = services.read_text("utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("organization_id")] = str(uuid.uuid4())
    services.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", "utf-8")
    report = validate(str(copy_dir / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}


def test_every_foreign_key_holds(exports) -> None:  # type: ignore[no-untyped-def]
    tables = read_hsds(exports["2020-2021"])
    for (table, column), target in FOREIGN_KEYS.items():
        values = set(tables[table][column]) - {""}
        assert values <= set(tables[target]["id"]), (table, column)
    assert set(tables["attribute"]["link_id"]) <= set(tables["service"]["id"]) | set(tables["organization"]["id"])


def test_round_trip_gives_back_the_store(exports, demo_store) -> None:  # type: ignore[no-untyped-def]
    from cartography.vocabulary import SERVICE_CATEGORIES

    for cycle in ("2019-2020", "2020-2021"):
        tables = read_hsds(exports[cycle])
        subs = demo_store.validated(cycle)
        orgs = {r["id"]: r for r in tables["organization"].to_dict("records")}
        assert orgs.keys() == {stable_id("organization", s.org_id) for s in subs}
        locations = {r["id"]: r for r in tables["location"].to_dict("records")}
        services = {r["id"]: r for r in tables["service"].to_dict("records")}
        links = {(r["link_id"], r["link_type"]): r["taxonomy_term_id"] for r in tables["attribute"].to_dict("records")}
        at = {(r["service_id"], r["location_id"]) for r in tables["service_at_location"].to_dict("records")}
        expected_sites = expected_services = 0
        for sub in subs:
            org = orgs[stable_id("organization", sub.org_id)]
            assert org["name"] == sub.content.organisation.name
            assert org["email"] == sub.content.organisation.email
            for site in sub.content.sites:
                loc = locations[stable_id("location", sub.org_id, site.site_code)]
                expected_sites += 1
                assert (loc["name"], loc["external_identifier"]) == (site.name, site.site_code)
                assert abs(float(loc["latitude"]) - site.latitude) < 1e-6
                assert abs(float(loc["longitude"]) - site.longitude) < 1e-6
                assert loc["organization_id"] == org["id"]
            for svc in sub.content.services:
                sid = stable_id("service", sub.org_id, svc.service_code)
                row = services[sid]
                expected_services += 1
                assert (row["name"], row["status"], row["organization_id"]) == (svc.name, svc.status, org["id"])
                assert links[(sid, "service_category")] == term_id("categories", svc.category)
                assert links[(sid, "french_service_level")] == term_id("french_service_level", svc.language)
                assert links[(sid, "delivery_mode")] == term_id("delivery_mode", svc.mode)
                if svc.site_code:
                    assert (sid, stable_id("location", sub.org_id, svc.site_code)) in at
        assert (len(locations), len(services)) == (expected_sites, expected_services)
        # The category taxonomy is a hierarchy: each category's parent is its continuum stage.
        terms = tables["taxonomy_term"].set_index("id")
        employment = terms.loc[term_id("categories", "employment")]
        assert employment["name"] == SERVICE_CATEGORIES.label("employment", "fr")
        assert terms.loc[employment["parent_id"], "code"] == "categories:stage.economic_integration"


def test_ids_are_stable_across_cycles_and_runs(exports, demo_store, geography, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Known answer: pinned, so changing the namespace (which would break every consumer) fails.
    assert stable_id("organization", "ccfl") == "7a9421b7-7eb2-5901-add1-bb1493c117f9"
    assert stable_id("organization", "ccfl") == str(uuid.uuid5(NAMESPACE, "organization/ccfl"))
    first, second = read_hsds(exports["2019-2020"]), read_hsds(exports["2020-2021"])
    for table, key in (("organization", "name"), ("location", "external_identifier")):
        one = dict(zip(first[table]["id"], first[table][key], strict=True))
        two = dict(zip(second[table]["id"], second[table][key], strict=True))
        common = one.keys() & two.keys()
        assert common, table
        assert all(one[i] == two[i] for i in common)
    codes = {
        cycle: {(s.org_id, v.service_code) for s in demo_store.validated(cycle) for v in s.content.services}
        for cycle in ("2019-2020", "2020-2021")
    }
    kept = codes["2019-2020"] & codes["2020-2021"]
    assert kept and kept != codes["2020-2021"]  # the second cycle opens services, keeps most
    ids = set(first["service"]["id"]) & set(second["service"]["id"])
    assert ids == {stable_id("service", o, c) for o, c in kept}
    assert set(first["taxonomy_term"]["id"]) == set(second["taxonomy_term"]["id"])
    again = tmp_path / "again"
    from cartography.services.files import export_hsds

    export_hsds(demo_store, geography, "2019-2020", again)
    for name, frame in read_hsds(again).items():
        assert frame.equals(first[name]), name


def test_extras_are_the_protected_published_layers(exports, compiled_demo) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    extra = exports["2019-2020"] / "extra"
    clients = pd.read_csv(extra / "clients_by_area.csv", encoding="utf-8-sig")
    published = clients["clients_published"].dropna()
    assert len(published) and not published.between(1, 4).any() and (published % 5 == 0).all()
    expected = compiled_demo.layers["clients_by_area"]["clients_published"].dropna()
    assert sorted(published.astype(int)) == sorted(expected.astype(int))
    assert (extra / "needs_by_area.csv").exists() and (extra / "gaps_csd.csv").exists()
    assert "fictives" in (extra / "LISEZMOI-README.txt").read_text("utf-8")
    package = json.loads((exports["2019-2020"] / "datapackage.json").read_text("utf-8"))
    assert "extra/clients_by_area.csv" in package["x_extra_files"]
    assert "fictitious" in package["title"]
    # No raw count anywhere in the HSDS tables themselves.
    assert "count" not in (exports["2019-2020"] / "services.csv").read_text("utf-8").splitlines()[0]


def test_defaults_for_submissions_made_before_hsds(demo_store) -> None:  # type: ignore[no-untyped-def]
    from cartography.io.hsds import build_tables, default_description

    sub = demo_store.validated("2019-2020")[0]
    assert sub.content.organisation.description == ""
    assert sub.content.organisation.name in default_description(sub)
    described = sub.model_copy(
        update={
            "content": sub.content.model_copy(
                update={"organisation": sub.content.organisation.model_copy(update={"description": "Nous aidons."})}
            )
        }
    )
    assert default_description(described) == "Nous aidons."
    tables = build_tables([sub], {}, include_contacts=False)
    assert tables["contact"] == []
    assert {r["status"] for r in tables["service"]} == {"active"}


def test_formula_cells_are_neutralised_and_targets_protected(demo_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from cartography.errors import UserError

    sub = demo_store.validated("2019-2020")[0]
    svc = sub.content.services[0].model_copy(update={"name": '=HYPERLINK("x")'})
    hostile = sub.model_copy(update={"content": sub.content.model_copy(update={"services": (svc,)})})
    out = write_hsds([hostile], {}, tmp_path / "out", "2019-2020")
    assert "'=HYPERLINK" in (out / "services.csv").read_text("utf-8")
    with pytest.raises(UserError) as caught:
        write_hsds([hostile], {}, out, "2019-2020")
    assert caught.value.key == "hsds.error.target_exists"


def test_cli_export_hsds(demo_store, tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from cartography import cli

    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store.url)
    target = tmp_path / "hsds.zip"
    assert cli.main(["export", "hsds", "--cycle", "2020-2021", "-o", str(target), "--no-contacts"]) == 0
    assert "HSDS 3.0" in capsys.readouterr().out
    tables = read_hsds(target)
    assert len(tables["contact"]) == 0 and len(tables["organization"]) == 9
    assert cli.main(["export", "hsds", "--cycle", "2031-2032", "-o", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert "2031-2032" in err and "Traceback" not in err


# -- the template asks what HSDS needs ----------------------------------------------------------


def test_template_reads_status_and_description(gazetteer, demo_org) -> None:  # type: ignore[no-untyped-def]
    from cartography.io.template import answers_to_workbook
    from cartography.services.submissions import check_workbook

    answers = copy.deepcopy(demo_org)
    answers["description"] = "Centre communautaire (fictif)."
    answers["services"][0]["status"] = "Fermé temporairement"
    content = check_workbook(answers_to_workbook(answers, gazetteer.municipality_names), gazetteer).content
    assert content is not None
    assert content.organisation.description == "Centre communautaire (fictif)."
    assert content.services[0].status == "temporarily closed"
    assert {s.status for s in content.services[1:]} == {"active"}  # blank means active

    answers["services"][0]["status"] = "ouvert"
    result = check_workbook(answers_to_workbook(answers, gazetteer.municipality_names), gazetteer)
    assert result.content is None
    (bad,) = result.problems
    assert bad.column == "Statut du service" and "liste" in bad.message_fr


def test_workbook_from_before_the_new_columns_is_still_read(gazetteer, demo_org) -> None:  # type: ignore[no-untyped-def]
    from cartography.io.template import answers_to_workbook
    from cartography.services.submissions import check_workbook

    data = answers_to_workbook(copy.deepcopy(demo_org), gazetteer.municipality_names)
    wb = load_workbook(io.BytesIO(data))
    services = wb["Services"]
    status_col = next(c.column for c in services[1] if c.value and str(c.value).startswith("Statut du service"))
    services.delete_cols(status_col)
    org = wb["Organisme"]
    row = next(c.row for c in org["A"] if c.value and str(c.value).startswith("Description de l'organisme"))
    org.delete_rows(row)
    old = io.BytesIO()
    wb.save(old)
    result = check_workbook(old.getvalue(), gazetteer)
    assert result.problems == []
    assert result.content is not None
    assert result.content.organisation.description == ""
    assert {s.status for s in result.content.services} == {"active"}


def test_store_keeps_service_status(store, gazetteer, demo_org) -> None:  # type: ignore[no-untyped-def]
    from cartography.io.template import answers_to_workbook
    from cartography.services.submissions import check_workbook

    answers = copy.deepcopy(demo_org)
    answers["services"][0]["status"] = "Inactif"
    answers["description"] = "Décrit."
    content = check_workbook(answers_to_workbook(answers, gazetteer.municipality_names), gazetteer).content
    assert content is not None
    store.open_cycle("2019-2020", "coord")
    stored = store.submit(content, "2019-2020", "membre", "test")
    again = store.get(stored.submission_id).content
    assert again.services[0].status == "inactive"
    assert again.organisation.description == "Décrit."
