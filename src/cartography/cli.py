"""The ``cartography`` command line (DESIGN.md section 7: names and meanings are a contract).

``--json`` prints one JSON document on stdout. Errors a member can cause go to stderr in
French with English beside, with a non-zero exit, and change nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from cartography.i18n import UserError, both, t

Handler = Callable[[argparse.Namespace], int]


def _print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")


# -- geo --------------------------------------------------------------------------------


def _geo_info(args: argparse.Namespace) -> int:
    from cartography.io.geo_source import load_geography

    info = load_geography().info()
    if args.json:
        _print_json(info)
        return 0
    print(f"{t('cli.label.source')} / Source : {info['source']}")
    print(f"{t('cli.label.vintage')} / Vintage : {info['vintage']}")
    label = info["fidelity_label"]
    print(f"{t('cli.label.fidelity')} / Fidelity : {info['fidelity']} — {label['fr']} / {label['en']}")
    print()
    print(f"{t('cli.label.region') + ' / Region':<24}{t('cli.label.population'):>18}")
    for region in info["regions"]:
        print(f"{region['name_fr']:<24}{region['pop_2021']:>18,}".replace(",", " "))
    print(f"{t('cli.label.total'):<24}{info['population_2021']:>18,}".replace(",", " "))
    print()
    header = f"{'CSDUID':<9}{t('cli.label.municipality') + ' / Municipality':<44}{'':<5}{'':<11}"
    print(header + f"{t('cli.label.population'):>16}")
    for m in info["municipalities"]:
        pop = "..".rjust(16) if m["pop_2021"] is None else f"{m['pop_2021']:>16,}".replace(",", " ")
        print(f"{m['csduid']:<9}{m['name']:<44}{m['type']:<5}{m['region']:<11}{pop}")
    print()
    print(info["attribution"]["fr"])
    print(info["attribution"]["en"])
    return 0


def _geo_build(args: argparse.Namespace) -> int:
    from cartography.io.geo_source import build_official
    from cartography.paths import geo_cache_dir

    checksums = {}
    for item in args.sha256 or []:
        stem, _, digest = item.partition("=")
        checksums[stem.removesuffix(".zip")] = digest
    counts = build_official(args.source, checksums=checksums)
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
    from cartography.io.geo_source import load_geography

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


# -- serve ------------------------------------------------------------------------------


def _serve(args: argparse.Namespace) -> int:
    import subprocess

    from cartography.paths import project_root

    app = project_root() / "app.py"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    return subprocess.call(command)


# -- parser -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cartography",
        description="Cartographie des services en français / Map of French-language services",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    geo = sub.add_parser("geo", help="géographie de la région / the region's geography")
    geo_sub = geo.add_subparsers(dest="geo_command", required=True)
    info = geo_sub.add_parser("info", help="régions, municipalités, source / regions, municipalities, source")
    info.add_argument("--json", action="store_true")
    info.set_defaults(handler=_geo_info)
    build = geo_sub.add_parser(
        "build", help="fichiers officiels de Statistique Canada / official StatCan files"
    )
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

    serve = sub.add_parser("serve", help="lancer l'application / start the app")
    serve.add_argument("--port", type=int, default=8501)
    serve.set_defaults(handler=_serve)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except UserError as error:
        sys.stderr.write(error.bilingual() + "\n")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
