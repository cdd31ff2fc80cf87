"""The ``cartography`` command line (DESIGN.md section 7: names and meanings are a contract).

``--json`` prints one JSON document on stdout. Errors a member can cause go to stderr in
French with English beside, with a non-zero exit, and change nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence, Sized
from datetime import date as _date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from cartography.errors import UserError
from cartography.i18n import Lang, both, demo_label, t

if TYPE_CHECKING:
    from cartography.geocoding import Gazetteer
    from cartography.validation import Problem

    #: What ``add_subparsers`` returns (its parsers are ``_Parser`` too, so they speak French):
    #: each group of commands registers its parsers on it. Generic for the type checker only.
    Commands = argparse._SubParsersAction["_Parser"]


def _print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")


def _mapping(value: object) -> Mapping[str, object]:
    """A nested table of a JSON-like document (``geo info``), checked once so it can be read."""
    if not isinstance(value, Mapping):
        raise TypeError(f"expected a mapping, not '{type(value).__name__}'")
    return value


def _mappings(value: object) -> list[Mapping[str, object]]:
    """A list of nested tables of a JSON-like document (see :func:`_mapping`)."""
    if not isinstance(value, list):
        raise TypeError(f"expected a list, not '{type(value).__name__}'")
    return [_mapping(item) for item in value]


def _size(value: object) -> int:
    """How many items a metadata entry holds (a list or another sized collection)."""
    if not isinstance(value, Sized):
        raise TypeError(f"expected a collection, not '{type(value).__name__}'")
    return len(value)


# -- geo --------------------------------------------------------------------------------


def _geo_info(args: argparse.Namespace) -> int:
    from cartography.services.workspace import load_geography

    info = load_geography().info()
    if args.json:
        _print_json(info)
        return 0
    print(f"{t('cli.label.source')} / Source : {info['source']}")
    print(f"{t('cli.label.vintage')} / Vintage : {info['vintage']}")
    label = _mapping(info["fidelity_label"])
    print(f"{t('cli.label.fidelity')} / Fidelity : {info['fidelity']} — {label['fr']} / {label['en']}")
    print()
    print(f"{t('cli.label.region') + ' / Region':<24}{t('cli.label.population'):>18}")
    for region in _mappings(info["regions"]):
        print(f"{region['name_fr']:<24}{region['pop_2021']:>18,}".replace(",", " "))
    print(f"{t('cli.label.total'):<24}{info['population_2021']:>18,}".replace(",", " "))
    print()
    header = f"{'CSDUID':<9}{t('cli.label.municipality') + ' / Municipality':<44}{'':<5}{'':<11}"
    print(header + f"{t('cli.label.population'):>16}")
    for m in _mappings(info["municipalities"]):
        pop = "..".rjust(16) if m["pop_2021"] is None else f"{m['pop_2021']:>16,}".replace(",", " ")
        print(f"{m['csduid']:<9}{m['name']:<44}{m['type']:<5}{m['region']:<11}{pop}")
    print()
    for key in ("attribution", "gazetteer_attribution"):
        print(_mapping(info[key])["fr"])
        print(_mapping(info[key])["en"])
    return 0


def _geo_build(args: argparse.Namespace) -> int:
    from cartography.paths import geo_cache_dir
    from cartography.services.workspace import build_geography

    checksums = {}
    for item in args.sha256 or []:
        stem, _, digest = item.partition("=")
        checksums[stem.removesuffix(".zip")] = digest
    counts = build_geography(args.source, checksums=checksums)
    print(
        both(
            "geo.build.done",
            path=str(geo_cache_dir()),
            cd=counts["census_divisions"],
            csd=counts["census_subdivisions"],
            fsa=counts["fsa"],
            da=counts["dissemination_areas"],
        )
    )
    return 0


def _geocode(args: argparse.Namespace) -> int:
    from cartography.geocoding import geocode
    from cartography.services.workspace import load_geography

    result = geocode(load_geography().gazetteer(), args.text)
    if args.json:
        _print_json(result.as_dict())
        return 0
    precision = t(f"geocode.precision.{result.precision}")
    print(f"{result.latitude:.6f}, {result.longitude:.6f}")
    print(f"{t('cli.label.precision')} : {precision} ({result.precision})")
    print(f"{t('cli.label.municipality')} : {result.municipality} ({result.csduid})")
    print(f"{t('cli.label.region')} : {result.region}")
    if result.note_fr:
        print(result.note_fr)
        print(f"  [EN] {result.note_en}")
    return 0


# -- template, validation, store ----------------------------------------------------------


def _gazetteer() -> Gazetteer:
    from cartography.services.workspace import load_geography

    return load_geography().gazetteer()


def _actor(args: argparse.Namespace) -> str:
    import getpass

    return getattr(args, "author", None) or getpass.getuser() or "cli"


def _template(args: argparse.Namespace) -> int:
    from cartography.services.files import write_member_template
    from cartography.services.workspace import load_geography, open_store

    store = open_store() if args.org else None  # a blank template needs no store
    write_member_template(store, load_geography(), Path(args.output), args.cycle or "", args.org)
    print(both("cli.template_written", path=args.output))
    return 0


def _report_problems(problems: Sequence[Problem], as_json: bool) -> None:
    if as_json:
        return
    for p in problems:
        where = " / ".join(str(x) for x in (p.sheet, p.row and f"{t('validation.col.row')} {p.row}", p.column) if x)
        sys.stderr.write(f"[{where or t('cli.label.file')}] {p.message_fr}\n")
        if p.suggestion_fr:
            sys.stderr.write(f"    → {p.suggestion_fr}\n")
        sys.stderr.write(f"    [EN] {p.message_en}\n")


def _validate(args: argparse.Namespace) -> int:
    from cartography.services.submissions import check_workbook
    from cartography.validation import summary

    result = check_workbook(Path(args.file), _gazetteer())
    if args.json:
        _print_json(
            {
                "valid": result.ok,
                "problems": [p.as_dict() for p in result.problems],
                "summary": summary(result.content) if result.content else None,
            }
        )
        return 0 if result.ok else 1
    if result.ok and result.content is not None:
        print(summary(result.content, "fr"))
        print(f"  [EN] {summary(result.content, 'en')}")
        return 0
    _report_problems(result.problems, False)
    sys.stderr.write(both("validation.summary_errors", count=len(result.problems)) + "\n")
    return 1


def _submit(args: argparse.Namespace) -> int:
    from cartography.services.submissions import InvalidWorkbook, submit_workbook
    from cartography.services.workspace import Store

    try:
        stored = submit_workbook(Store(), Path(args.file), args.cycle, _actor(args), _gazetteer())
    except InvalidWorkbook as error:
        _report_problems(error.problems, False)
        raise
    print(
        both(
            "store.submitted",
            org=stored.content.organisation.name,
            cycle=stored.cycle,
            version=stored.version,
        )
    )
    return 0


def _cycle_open(args: argparse.Namespace) -> int:
    from cartography.services.workspace import Store

    Store().open_cycle(args.cycle, _actor(args), starts_on=args.starts_on, ends_on=args.ends_on)
    print(both("store.cycle_opened", code=args.cycle))
    return 0


def _cycle_status(args: argparse.Namespace) -> int:
    from cartography.services.submissions import participation
    from cartography.services.workspace import open_store

    rows = participation(open_store(), args.cycle)
    if args.json:
        _print_json({"cycle": args.cycle, "organisations": rows})
        return 0
    done = sum(1 for r in rows if r["versions"])
    validated = sum(1 for r in rows if r["validated_version"])
    print(f"{t('store.col.org'):<60}{t('store.col.versions'):>10}{t('store.col.validated'):>18}")
    for r in rows:
        versions = r["versions"] or t("store.not_submitted")
        print(f"{str(r['name'])[:58]:<60}{versions!s:>10}{r['validated_version'] or '—'!s:>18}")
    print(both("store.participation", done=done, total=len(rows), validated=validated))
    return 0


def _cycle_validate(args: argparse.Namespace) -> int:
    from cartography.services.submissions import validate_version
    from cartography.services.workspace import Store

    stored = validate_version(Store(), args.org, args.cycle, args.version, _actor(args))
    print(
        both(
            "store.validated",
            org=stored.content.organisation.name,
            cycle=stored.cycle,
            version=stored.version,
        )
    )
    return 0


def _demo(args: argparse.Namespace) -> int:
    """Load the demo into the demonstration store (its own file unless CARTO_DATABASE_URL names one).

    A store that holds real data is refused before anything is written (demo accounts have
    published passwords).
    """
    import os

    from sqlalchemy.engine import make_url

    from cartography.paths import data_dir
    from cartography.services.demo import ensure_demo
    from cartography.services.workspace import demo_url, open_store

    url = os.environ.get("CARTO_DATABASE_URL") or demo_url()
    result = ensure_demo(open_store(url), _gazetteer(), data_dir() / "demo" / "generated", if_empty=args.if_empty)
    shown = make_url(url).render_as_string(hide_password=True)
    if not result.loaded and args.if_empty:
        print(both("cli.demo_present", cycle=", ".join(result.cycles)))
    else:
        loaded = ", ".join(result.loaded) or ", ".join(result.cycles)
        print(both("cli.demo_loaded", count=result.organisations, cycle=loaded))
    print(both("guard.demo.serving", path=shown))
    return 0


def _register_store_commands(sub: Commands) -> None:
    tpl = sub.add_parser("template", help="gabarit Excel / Excel template")
    tpl.add_argument("-o", "--output", required=True, metavar="FICHIER.xlsx")
    tpl.add_argument("--org", help="pré-remplir avec les réponses validées / pre-fill with validated answers")
    tpl.add_argument("--cycle", default="", help="cycle affiché dans les instructions / cycle shown")
    tpl.set_defaults(handler=_template)

    val = sub.add_parser("validate", help="vérifier un gabarit rempli / check a filled template")
    val.add_argument("file", metavar="FICHIER.xlsx")
    val.add_argument("--json", action="store_true")
    val.set_defaults(handler=_validate)

    smt = sub.add_parser("submit", help="vérifier et enregistrer / validate and store")
    smt.add_argument("file", metavar="FICHIER.xlsx")
    smt.add_argument("--cycle", required=True)
    smt.add_argument("--author", help="auteur / author (default: system user)")
    smt.set_defaults(handler=_submit)

    cyc = sub.add_parser("cycle", help="cycles de collecte / reporting cycles")
    cyc_sub = cyc.add_subparsers(dest="cycle_command", required=True)
    c_open = cyc_sub.add_parser("open", help="ouvrir un cycle / open a cycle")
    c_open.add_argument("cycle")
    c_open.add_argument(
        "--debut", "--starts", dest="starts_on", type=date, metavar="AAAA-MM-JJ", help=both("cli.help.cycle_starts")
    )
    c_open.add_argument(
        "--fin", "--ends", dest="ends_on", type=date, metavar="AAAA-MM-JJ", help=both("cli.help.cycle_ends")
    )
    c_open.add_argument("--author")
    c_open.set_defaults(handler=_cycle_open)
    c_list = cyc_sub.add_parser("status", aliases=["list"], help="qui a soumis / who has submitted")
    c_list.add_argument("cycle")
    c_list.add_argument("--json", action="store_true")
    c_list.set_defaults(handler=_cycle_status)
    c_val = cyc_sub.add_parser("validate", help="valider une version / validate a version")
    c_val.add_argument("cycle")
    c_val.add_argument("org")
    c_val.add_argument("version", type=int)
    c_val.add_argument("--author")
    c_val.set_defaults(handler=_cycle_validate)

    demo = sub.add_parser("demo", help="charger les données fictives / load the demo data")
    demo.add_argument("--if-empty", action="store_true", help="seulement si absentes / only if absent")
    demo.set_defaults(handler=_demo)


# -- compile and census -------------------------------------------------------------------


def _compile(args: argparse.Namespace) -> int:
    from cartography.services.compile import compile_cycle
    from cartography.services.files import load_demand, output_format, write_filtered
    from cartography.services.workspace import Store, load_geography

    fmt = output_format(Path(args.output), args.format)
    demand = None if args.demand == "pop_2021" else load_demand(args.demand)
    compiled = compile_cycle(Store(), load_geography(), args.cycle, demand=demand, demand_label=args.demand)
    written = write_filtered(
        compiled,
        Path(args.output),
        fmt,
        regions=args.region,
        municipalities=args.municipality,
        category=args.category,
        csv_style=args.csv_style,
        layer=args.layer,
    )
    if written.name != Path(args.output).name:
        print(both("exports.several_files", path=str(written)))
    points = len(compiled.layers["service_points"])
    print(
        both(
            "compile.done",
            cycle=args.cycle,
            path=str(written),
            orgs=_size(compiled.metadata["organisations_included"]),
            points=points,
        )
    )
    if compiled.missing:
        print(both("compile.missing", names=", ".join(m["name"] for m in compiled.missing)))
    if compiled.demo:
        print(demo_label())
    return 0


def _map(args: argparse.Namespace) -> int:
    from cartography.maps import gap_map, map_html
    from cartography.services.compile import compile_cycle
    from cartography.services.workspace import Store, load_geography
    from cartography.vocabulary import SERVICE_CATEGORIES

    if args.category != "all" and args.category not in SERVICE_CATEGORIES:
        raise UserError("map.error.category", code=args.category, codes=", ".join(SERVICE_CATEGORIES.codes))
    geo = load_geography()
    compiled = compile_cycle(Store(), geo, args.cycle)
    fmap = gap_map(
        compiled.layers,
        level=args.level,
        category=args.category,
        indicator=args.indicator,
        regions=args.region or None,
        lang=args.lang,
        demo=compiled.demo,
        attribution=geo.attribution(args.lang),
        basemap=args.basemap,
        cycle=args.cycle,
    )
    document = map_html(fmap)
    Path(args.output).write_text(document, encoding="utf-8")
    print(both("map.written", path=args.output, size=len(document.encode()) // 1024))
    return 0


def _report(args: argparse.Namespace) -> int:
    from cartography.services.workspace import Store, load_geography

    geo = load_geography()
    store = Store()
    if args.org:
        from cartography.reports import member_deck
        from cartography.services.submissions import member_version

        deck = member_deck(member_version(store, args.cycle, args.org), geo, args.lang)
    else:
        from cartography.reports import table_deck
        from cartography.services.compile import compile_cycle, previous_cycle
        from cartography.vocabulary import SERVICE_CATEGORIES

        compiled = compile_cycle(store, geo, args.cycle)
        before = previous_cycle(store, args.cycle)  # for the "Depuis le dernier cycle" slide
        previous = compile_cycle(store, geo, before) if before else None
        unknown = [code for code in args.plan or () if code not in SERVICE_CATEGORIES]
        if unknown:
            raise UserError("map.error.category", code=unknown[0], codes=", ".join(SERVICE_CATEGORIES.codes))
        plans = tuple(args.plan or ())
        deck = table_deck(compiled, store.status(args.cycle), geo, args.lang, previous=previous, plan_categories=plans)
    deck.save(args.output)
    print(both("report.written", path=args.output, slides=len(deck.prs.slides)))
    return 0


def _compare(args: argparse.Namespace) -> int:
    """Compare two cycles' published results and write changes.gpkg."""
    from cartography.services.compile import compare_cycles, service_counts
    from cartography.services.files import load_demand, write_changes
    from cartography.services.workspace import Store, load_geography

    demand = None if args.demand == "pop_2021" else load_demand(args.demand)
    comparison = compare_cycles(
        Store(), load_geography(), args.from_cycle, args.to_cycle, args.level, demand=demand, demand_label=args.demand
    )
    write_changes(comparison, Path(args.output))
    services = service_counts(comparison)
    counts = {"improved": 0, "worsened": 0, "not_comparable": 0}
    for frame in comparison.changes.values():
        for code in counts:
            counts[code] += int((frame["class_change"] == code).sum())
    print(
        both(
            "compare.written",
            before=args.from_cycle,
            after=args.to_cycle,
            path=args.output,
            added=services["added"],
            closed=services["closed"],
            changed=services["changed"],
            improved=counts["improved"],
            worsened=counts["worsened"],
            flagged=counts["not_comparable"],
        )
    )
    if comparison.demo:
        print(demo_label())
    return 0


def _users_add(args: argparse.Namespace) -> int:
    import getpass

    from cartography.services.workspace import Store

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(t("cli.prompt.password") + " ")
        if getpass.getpass(t("cli.prompt.again") + " ") != password:
            raise UserError("users.error.mismatch")
    Store().create_user(args.username, password, args.role, _actor(args), org_id=args.org)
    print(both("users.created", username=args.username.lower(), role=t(f"users.role.{args.role}")))
    return 0


def _users_list(args: argparse.Namespace) -> int:
    from cartography.services.workspace import Store

    users = Store().users()
    if args.json:
        _print_json(users)
        return 0
    for user in users:
        print(f"{user['username']:<24}{t('users.role.' + str(user['role'])):<28}{user['org_id'] or ''}")
    return 0


def _users_unlock(args: argparse.Namespace) -> int:
    from cartography.services.workspace import Store, loggable

    name = loggable(args.username.strip().lower())
    if Store().unlock_user(args.username, _actor(args)):
        print(both("guard.unlock.done", username=name))
    else:
        print(both("guard.unlock.not_locked", username=name))
    return 0


def _users_reset_password(args: argparse.Namespace) -> int:
    """New password for an account: drawn at random (printed once) or read from stdin."""
    from cartography.services.workspace import Store, loggable

    typed = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    password = Store().reset_password(args.username, _actor(args), typed)
    print(both("adminform.account.reset_done", username=loggable(args.username.strip().lower())))
    print(password)
    return 0


def _users_disable(args: argparse.Namespace) -> int:
    """Disable (``users disable``) or enable (``users enable``) an account."""
    from cartography.services.workspace import Store, loggable

    disable = args.users_command == "disable"
    Store().set_disabled(args.username, disable, _actor(args))
    key = "adminform.account.disabled_done" if disable else "adminform.account.enabled_done"
    print(both(key, username=loggable(args.username.strip().lower())))
    return 0


def _census_import(args: argparse.Namespace) -> int:
    from cartography.services.files import (
        CHARACTERISTICS,
        TerminalProgress,
        demand_file,
        import_census_profile,
        level_label,
    )

    progress = None if args.quiet else TerminalProgress(sys.stderr)
    imported = import_census_profile(Path(args.file), progress=progress)
    frame = imported.frame
    print(
        both(
            "census.read",
            rows=f"{imported.rows_read:,}".replace(",", " "),
            files=", ".join(imported.files),
            encodings=", ".join(imported.encodings),
        )
    )
    for row in imported.summary().itertuples():
        _words, _name, label_fr, label_en = CHARACTERISTICS[str(row.characteristic)]
        fields = {"places": row.places, "missing": row.missing}
        level = str(row.level)
        print(t("census.kept", "fr", level=level_label(level, "fr"), label=label_fr, **fields))
        print("  [EN] " + t("census.kept", "en", level=level_label(level, "en"), label=label_en, **fields))
    places = frame[["level", "geo_id"]].drop_duplicates()
    print(both("census.imported", rows=len(frame), places=len(places), path=demand_file()))
    return 0


def _register_compile_commands(sub: Commands) -> None:
    """``compile``, ``map``, ``report``, ``compare``, ``users`` and ``census``."""
    _register_compile(sub)
    _register_map(sub)
    _register_report(sub)
    _register_compare(sub)
    _register_users(sub)
    _register_census(sub)


def _register_compile(sub: Commands) -> None:
    comp = sub.add_parser("compile", help="compiler un cycle / compile a cycle")
    comp.add_argument("--cycle", required=True)
    comp.add_argument("-o", "--output", required=True, metavar="SORTIE.gpkg")
    comp.add_argument("--format", choices=["gpkg", "csv", "geojson", "xlsx"])
    comp.add_argument(
        "--csv-style",
        choices=["excel-fr", "standard"],
        default="standard",
        help="CSV : excel-fr (« ; », virgule décimale, en-têtes français) ou standard / CSV style",
    )
    comp.add_argument("--layer", help="une seule table (p. ex. gaps_csd) / a single table")
    comp.add_argument("--region", action="append", help="filtre par région (répétable) / region filter")
    comp.add_argument("--municipality", action="append", help="filtre par code SDR (répétable) / CSD filter")
    comp.add_argument("--category", help="filtre par catégorie de service / service category filter")
    comp.add_argument(
        "--demand",
        default="pop_2021",
        help="demande : pop_2021 (défaut) ou une caractéristique importée / demand",
    )
    comp.set_defaults(handler=_compile)


def _register_map(sub: Commands) -> None:
    mp = sub.add_parser("map", help="carte des lacunes (HTML autonome) / gap map (standalone HTML)")
    mp.add_argument("--cycle", required=True)
    mp.add_argument("--level", choices=["region", "csd", "ct"], default="csd")
    mp.add_argument("--category", default="all", help="code de catégorie ou all / category code or all")
    mp.add_argument(
        "--indicator",
        default="gap_class",
        choices=[
            "gap_class",
            "gap_index",
            "access_e2sfca_per_10k",
            "access_2sfca_per_10k",
            "nearest_km",
            "services_serving",
            "needs_unmet",
        ],
    )
    mp.add_argument(
        "--region",
        action="append",
        choices=["london", "middlesex", "elgin", "oxford"],
        help="filtrer par région (répétable) / filter by region (repeatable)",
    )
    mp.add_argument("--lang", choices=["fr", "en"], default="fr")
    mp.add_argument("--basemap", action="store_true", help="fond OpenStreetMap (Internet) / OSM basemap (online)")
    mp.add_argument("-o", "--output", required=True, metavar="CARTE.html")
    mp.set_defaults(handler=_map)


def _register_report(sub: Commands) -> None:
    rep = sub.add_parser("report", help="présentation PowerPoint / PowerPoint deck")
    rep.add_argument("--cycle", required=True)
    rep.add_argument("-o", "--output", required=True, metavar="PRESENTATION.pptx")
    rep.add_argument("--org", help="présentation d'un membre / a member's own presentation")
    rep.add_argument("--lang", choices=["fr", "en"], default="fr")
    rep.add_argument(
        "--plan",
        nargs="+",
        metavar="CATÉGORIE",
        help="une diapositive « Où ajouter un service ? » par catégorie / a site-recommendation slide per category",
    )
    rep.set_defaults(handler=_report)


def _register_compare(sub: Commands) -> None:
    cmp_ = sub.add_parser("compare", help="comparer deux cycles / compare two cycles")
    cmp_.add_argument("--from", dest="from_cycle", required=True, metavar="CYCLE")
    cmp_.add_argument("--to", dest="to_cycle", required=True, metavar="CYCLE")
    cmp_.add_argument("-o", "--output", required=True, metavar="CHANGEMENTS.gpkg")
    cmp_.add_argument("--level", choices=["region", "csd", "ct"], help="un seul niveau / one level only")
    cmp_.add_argument("--demand", default="pop_2021", help="demande : pop_2021 (défaut) ou importée / demand")
    cmp_.set_defaults(handler=_compare)


def _register_users(sub: Commands) -> None:
    users = sub.add_parser("users", help="comptes / accounts")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="créer un compte / create an account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["coordinator", "member", "planner"])
    add.add_argument("--org", help="organisme du membre / member's organisation")
    add.add_argument("--password-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard")
    add.add_argument("--author")
    add.set_defaults(handler=_users_add)
    lst = users_sub.add_parser("list", help="lister les comptes / list accounts")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_users_list)
    unl = users_sub.add_parser("unlock", help="débloquer un compte / unlock an account")
    unl.add_argument("username")
    unl.add_argument("--author")
    unl.set_defaults(handler=_users_unlock)
    rst = users_sub.add_parser(
        "reset-password", help="nouveau mot de passe (au hasard, affiché une fois) / new password (random, shown once)"
    )
    rst.add_argument("username")
    rst.add_argument("--password-stdin", action="store_true", help="lire le mot de passe / read it from stdin")
    rst.add_argument("--author")
    rst.set_defaults(handler=_users_reset_password)
    for command, text in (("disable", "désactiver un compte / disable an account"), ("enable", "réactiver / enable")):
        toggle = users_sub.add_parser(command, help=text)
        toggle.add_argument("username")
        toggle.add_argument("--author")
        toggle.set_defaults(handler=_users_disable)


def _register_census(sub: Commands) -> None:
    census = sub.add_parser("census", help="données du recensement / census data")
    census_sub = census.add_subparsers(dest="census_command", required=True)
    imp = census_sub.add_parser("import", help="importer un profil du recensement 2021 / import a Census Profile")
    imp.add_argument("file", metavar="FICHIER.csv|.zip")
    imp.add_argument("--quiet", action="store_true", help="sans barre de progression / no progress bar")
    imp.set_defaults(handler=_census_import)


# -- plan: where to add a service ----------------------------------------------------------


def _plan(args: argparse.Namespace) -> int:
    from cartography.numbers import as_float
    from cartography.services.compile import compile_cycle
    from cartography.services.files import (
        load_demand,
        plan_cycle,
        plan_summary,
        radius_text,
        recommended_lines,
        write_plan,
    )
    from cartography.services.workspace import Store, load_geography
    from cartography.vocabulary import SERVICE_CATEGORIES

    if args.category not in SERVICE_CATEGORIES:  # before the compile: say it at once
        raise UserError("plan.error.category", code=args.category, codes=", ".join(SERVICE_CATEGORIES.codes))
    geo = load_geography()
    demand = None if args.demand == "pop_2021" else load_demand(args.demand)
    compiled = compile_cycle(Store(), geo, args.cycle, demand=demand, demand_label=args.demand)
    plan = plan_cycle(compiled, geo, args.category, args.new_sites, args.radius_km, demand)
    write_plan(plan, Path(args.output))
    if args.json:
        recommended = plan.layers["recommended"].drop(columns="geometry")
        _print_json({"metadata": plan.metadata, "recommended": recommended.to_dict(orient="records")})
        return 0
    for lang in ("fr", "en"):
        prefix = "" if lang == "fr" else "  [EN] "
        written = t(
            "plan.written",
            lang,
            path=args.output,
            n=len(plan.layers["recommended"]),
            category=SERVICE_CATEGORIES.label(args.category, lang),
            radius=radius_text(as_float(plan.metadata["radius_km"]), lang),
        )
        for line in [written, *plan_summary(plan, lang), *recommended_lines(plan, lang)]:
            print(prefix + line)
    if plan.demo:
        print(demo_label())
    return 0


def _register_plan_command(sub: Commands) -> None:
    pln = sub.add_parser("plan", help="où ajouter un service ? / where to add a service?")
    pln.add_argument("--cycle", required=True)
    pln.add_argument("--category", required=True, help="code de catégorie / category code")
    pln.add_argument("--new-sites", type=int, required=True, metavar="K", help="nouveaux lieux / new sites")
    pln.add_argument("--radius-km", type=float, help="rayon (défaut : celui de la méthode) / radius (default: method)")
    pln.add_argument(
        "--demand", default="pop_2021", help="demande : pop_2021 (défaut) ou une caractéristique importée / demand"
    )
    pln.add_argument("-o", "--output", required=True, metavar="PLAN.gpkg")
    pln.add_argument("--json", action="store_true")
    pln.set_defaults(handler=_plan)


# -- export hsds --------------------------------------------------------------------------


def _export_hsds(args: argparse.Namespace) -> int:
    from cartography.services.files import export_hsds
    from cartography.services.workspace import Store, load_geography

    counts = export_hsds(
        Store(), load_geography(), args.cycle, Path(args.output), include_contacts=not args.no_contacts
    )
    print(both("hsds.done", cycle=args.cycle, path=args.output, **counts))
    return 0


def _register_export_command(sub: Commands) -> None:
    exp = sub.add_parser("export", help="exports ouverts / open exports")
    exp_sub = exp.add_subparsers(dest="export_command", required=True)
    hsds = exp_sub.add_parser("hsds", help=f"{t('hsds.help', 'fr')} / {t('hsds.help', 'en')}")
    hsds.add_argument("--cycle", required=True)
    hsds.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="DIR|FILE.zip",
        help=f"{t('hsds.help.output', 'fr')} / {t('hsds.help.output', 'en')}",
    )
    hsds.add_argument(
        "--no-contacts",
        action="store_true",
        help=f"{t('hsds.help.no_contacts', 'fr')} / {t('hsds.help.no_contacts', 'en')}",
    )
    hsds.set_defaults(handler=_export_hsds)


# -- serve ------------------------------------------------------------------------------


UPLOAD_CAP_MB = 5
"""Largest upload the server accepts, in MB (a filled template is far smaller; see ``MAX_BYTES``)."""


def serve_command(address: str = "127.0.0.1", port: int = 8501) -> list[str]:
    """The exact command ``cartography serve`` runs, whatever the current folder.

    Streamlit reads ``.streamlit/config.toml`` from the folder it is started in, so started
    elsewhere it silently lost the upload cap and listened on every interface. Every setting
    that matters for safety is therefore given on the command line, where it also wins over
    any ``config.toml`` or ``STREAMLIT_*`` variable: localhost by default (``--address
    0.0.0.0`` for a shared deployment), the upload cap, no error details in the browser, no
    usage statistics, XSRF protection on.

    Parameters
    ----------
    address:
        Interface to listen on: ``127.0.0.1`` (this computer only) unless deliberately shared.
    port:
        TCP port.

    Returns
    -------
    list[str]
        ``argv`` for :func:`subprocess.call`.
    """
    from cartography.paths import project_root

    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str((project_root() / "app.py").resolve()),
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.maxUploadSize",
        str(UPLOAD_CAP_MB),
        "--server.enableXsrfProtection",
        "true",
        "--server.enableCORS",
        "true",
        "--server.runOnSave",
        "false",
        "--server.fileWatcherType",
        "none",
        "--client.showErrorDetails",
        "none",
        "--client.toolbarMode",
        "viewer",
        "--global.developmentMode",
        "false",
        "--browser.gatherUsageStats",
        "false",
        "--theme.base",
        "light",
    ]


def _serve(args: argparse.Namespace) -> int:
    import subprocess

    from cartography.paths import project_root

    print(both("uisafety.serve.listening", address=args.address, port=args.port, upload_mb=UPLOAD_CAP_MB))
    # Started in the project folder too, so that nothing else of Streamlit's depends on where
    # the command was typed; the settings above win over whatever is found there.
    return subprocess.call(serve_command(args.address, args.port), cwd=project_root())


# -- parser -----------------------------------------------------------------------------


_USAGE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (?P<names>.+)", "cli.usage.required"),
    (r"unrecognized arguments: (?P<names>.+)", "cli.usage.unrecognised"),
    (r"argument (?P<name>\S+?): invalid (?P<kind>int|float|date) value: (?P<value>.+)", "cli.usage.invalid_value"),
    (
        r"argument (?P<name>\S+?): invalid choice: (?P<value>\S+) \(choose from (?P<choices>.+)\)",
        "cli.usage.invalid_choice",
    ),
    (r"argument (?P<name>\S+?): expected one argument", "cli.usage.expected_one"),
)


def _usage_detail(message: str, lang: Lang) -> str:
    """argparse's English ``message`` said in ``lang`` when it is one of the usual ones."""
    import re

    for pattern, key in _USAGE_PATTERNS:
        if match := re.fullmatch(pattern, message):
            fields = match.groupdict()
            if "kind" in fields:
                fields["kind"] = t(f"cli.usage.kind.{fields['kind']}", lang)
            return t(key, lang, **fields)
    return message


def date(text: str) -> _date:
    """A day written AAAA-MM-JJ, as argparse's ``type`` (named ``date`` so that its error
    reads "invalid date value" and is said in French by :func:`_usage_detail`)."""
    return _date.fromisoformat(text)


class _Parser(argparse.ArgumentParser):
    """argparse whose errors are said in French with English beside it (exit 2, as argparse)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        french = t("cli.error.usage", "fr", detail=_usage_detail(message, "fr"), prog=self.prog)
        english = t("cli.error.usage", "en", detail=_usage_detail(message, "en"), prog=self.prog)
        sys.stderr.write(f"{french}\n  [EN] {english}\n")
        raise SystemExit(2)


def _check_output(args: argparse.Namespace) -> None:
    """Refuse, before any work, an output that names a folder or sits in a missing folder."""
    target = getattr(args, "output", None)
    if not target:
        return
    path = Path(target)
    folder_allowed = getattr(args, "handler", None) is _export_hsds  # HSDS writes a folder or a zip
    if path.is_dir() and not folder_allowed:
        raise UserError("exports.error.folder", path=str(path))
    if not path.parent.exists():
        raise UserError("cli.error.no_folder", folder=str(path.parent), path=path.name)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cartography",
        description="Cartographie des services en français / Map of French-language services",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    geo = sub.add_parser("geo", help="géographie de la région / the region's geography")
    geo_sub = geo.add_subparsers(dest="geo_command", required=True)
    info = geo_sub.add_parser("info", help="régions, municipalités, source / regions, municipalities, source")
    info.add_argument("--json", action="store_true")
    info.set_defaults(handler=_geo_info)
    build = geo_sub.add_parser("build", help="fichiers officiels de Statistique Canada / official StatCan files")
    build.add_argument("--from", dest="source", required=True, metavar="PATH|URL")
    build.add_argument(
        "--sha256",
        action="append",
        metavar="FICHIER=SOMME",
        help="somme de contrôle attendue / expected checksum, e.g. lcd_000b21a_e=ab12...",
    )
    build.set_defaults(handler=_geo_build)

    gc = sub.add_parser("geocode", help="placer un lieu / place a location")
    gc.add_argument("text", metavar="TEXT")
    gc.add_argument("--json", action="store_true")
    gc.set_defaults(handler=_geocode)

    _register_store_commands(sub)
    _register_compile_commands(sub)
    _register_plan_command(sub)
    _register_export_command(sub)

    serve = sub.add_parser("serve", help="lancer l'application / start the app")
    serve.add_argument(
        "--address",
        default="127.0.0.1",
        help=f"{t('uisafety.serve.address', 'fr')} / {t('uisafety.serve.address', 'en')}",
    )
    serve.add_argument(
        "--port", type=int, default=8501, help=f"{t('uisafety.serve.port', 'fr')} / {t('uisafety.serve.port', 'en')}"
    )
    serve.set_defaults(handler=_serve)

    return parser


def _unexpected(error: Exception, command: str) -> int:
    """Tell the user an incident reference, not a traceback; the detail goes to the log.

    Returns
    -------
    int
        Exit status 2 (1 is a problem the user can fix; 2 is a fault to report).
    """
    from cartography import incidents

    incident = incidents.record(error, f"cartography {command}")
    if incident.log_path is not None:
        message = both("uisafety.cli.unexpected", reference=incident.reference, log=str(incident.log_path))
    else:
        message = both("uisafety.cli.unexpected_no_log", reference=incident.reference)
    sys.stderr.write(message + "\n")
    if incidents.debug_enabled():
        sys.stderr.write(incidents.detail(error))
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console command.

    A :class:`UserError` prints its bilingual message (exit 1); anything unexpected prints a
    short bilingual message with an incident reference (exit 2) and logs the detail
    (``CARTO_DEBUG=1`` also prints it).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _check_output(args)
        return int(args.handler(args))
    except UserError as error:
        sys.stderr.write(error.bilingual() + "\n")
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the last guard: no traceback reaches the user
        return _unexpected(error, str(getattr(args, "command", "?")))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
