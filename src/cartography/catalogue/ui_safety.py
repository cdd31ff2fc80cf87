"""Messages: ui_safety (French first, English beside).

Unexpected errors (with their incident reference), the banner naming the store being served,
sign-in before a workbook is uploaded or checked, and the options of ``cartography serve``.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "uisafety.unexpected": (
        "Une erreur inattendue est survenue (référence {reference}). Réessayez ; si elle revient, "
        "transmettez cette référence à la coordination.",
        "An unexpected error occurred (reference {reference}). Try again; if it happens again, "
        "give this reference to the coordinator.",
    ),
    "uisafety.cli.unexpected": (
        "Erreur inattendue (référence {reference}). Rien n'a été modifié. Le détail est dans {log} ; "
        "transmettez cette référence à la coordination.",
        "Unexpected error (reference {reference}). Nothing was changed. The detail is in {log}; "
        "give this reference to the coordinator.",
    ),
    "uisafety.cli.unexpected_no_log": (
        "Erreur inattendue (référence {reference}). Rien n'a été modifié. Le journal n'a pas pu être "
        "écrit : relancez avec CARTO_DEBUG=1 pour afficher le détail.",
        "Unexpected error (reference {reference}). Nothing was changed. The log could not be written: "
        "run again with CARTO_DEBUG=1 to print the detail.",
    ),
    "uisafety.store.demo": (
        "Données de démonstration (fictives)",
        "Demonstration data (fictitious)",
    ),
    "uisafety.store.demo_note": (
        "cette base ne contient que des organismes, lieux, services, nombres et besoins inventés ; "
        "les comptes de démonstration n'existent que dans cette base.",
        "this store holds only invented organisations, sites, services, counts and needs; "
        "the demonstration accounts exist only in this store.",
    ),
    "uisafety.store.real": (
        "Données réelles — base « {name} »",
        "Real data — store “{name}”",
    ),
    "uisafety.store.location": (
        "Emplacement de la base : {location}",
        "Store location: {location}",
    ),
    "uisafety.sign_in_to_check": (
        "Connectez-vous (barre latérale) pour déposer un gabarit rempli, le vérifier ou remplir le "
        "formulaire en ligne. Le gabarit vierge se télécharge sans compte.",
        "Sign in (sidebar) to upload a filled template, check it or fill in the online form. "
        "The blank template can be downloaded without an account.",
    ),
    "uisafety.serve.address": (
        "adresse d'écoute (défaut 127.0.0.1 : ce poste seulement ; 0.0.0.0 pour un serveur partagé, "
        "derrière HTTPS)",
        "listening address (default 127.0.0.1: this computer only; 0.0.0.0 for a shared server, "
        "behind HTTPS)",
    ),
    "uisafety.serve.port": ("port d'écoute (défaut 8501)", "listening port (default 8501)"),
    "uisafety.serve.listening": (
        "Application sur http://{address}:{port} (téléversements limités à {upload_mb} Mo).",
        "App at http://{address}:{port} (uploads limited to {upload_mb} MB).",
    ),
}
