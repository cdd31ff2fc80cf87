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
        "valeur invalide pour {name} : {value} (un {kind} est attendu)",
        "invalid value for {name}: {value} (a {kind} is expected)",
    ),
    "cli.usage.kind.int": ("nombre entier", "whole number"),
    "cli.usage.kind.float": ("nombre", "number"),
    "cli.usage.invalid_choice": (
        "choix invalide pour {name} : {value} (choix possibles : {choices})",
        "invalid choice for {name}: {value} (possible choices: {choices})",
    ),
    "cli.usage.expected_one": ("{name} attend une valeur", "{name} expects a value"),
}
