"""Command-line messages: output paths and argument errors (argparse speaks English only)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.error.no_folder": (
        "Le dossier {folder} n'existe pas : créez-le ou choisissez un autre emplacement pour {path}.",
        "Folder {folder} does not exist: create it or choose another place for {path}.",
    ),
    "cli.error.usage": (
        "Commande incomplète ou invalide : {detail}. Aide : {prog} --help",
        "Incomplete or invalid command: {detail}. Help: {prog} --help",
    ),
    "cli.usage.required": ("arguments obligatoires manquants : {names}", "missing required arguments: {names}"),
    "cli.usage.unrecognised": ("arguments non reconnus : {names}", "unrecognised arguments: {names}"),
    "cli.usage.invalid_value": (
        "valeur invalide pour {name} : {value} (attendu : {kind})",
        "invalid value for {name}: {value} (expected: {kind})",
    ),
    "cli.usage.kind.int": ("un nombre entier", "a whole number"),
    "cli.usage.kind.float": ("un nombre", "a number"),
    "cli.usage.kind.date": ("une date AAAA-MM-JJ, par exemple 2026-04-01", "a date YYYY-MM-DD, e.g. 2026-04-01"),
    "cli.help.cycle_starts": (
        "premier jour de la période couverte (AAAA-MM-JJ)",
        "first day of the period covered (YYYY-MM-DD)",
    ),
    "cli.help.cycle_ends": (
        "dernier jour de la période couverte (AAAA-MM-JJ)",
        "last day of the period covered (YYYY-MM-DD)",
    ),
    "cli.usage.invalid_choice": (
        "choix invalide pour {name} : {value} (choix possibles : {choices})",
        "invalid choice for {name}: {value} (possible choices: {choices})",
    ),
    "cli.usage.expected_one": ("{name} attend une valeur", "{name} expects a value"),
}
