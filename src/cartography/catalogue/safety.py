"""Messages: safety (French first, English beside)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "safety.map.suppressed": ("≤ 4", "≤ 4"),
    "safety.map.suppressed_note": (
        "≤ 4 : de 1 à 4 clients, nombre supprimé pour protéger la confidentialité ; "
        "les autres nombres de clients sont arrondis à un multiple de 5.",
        "≤ 4: 1 to 4 clients, count suppressed to protect confidentiality; "
        "other client counts are rounded to a multiple of 5.",
    ),
    "safety.map.clients": ("Clients servis, tous profils (publiés)", "Clients served, all profiles (published)"),
    "safety.map.clients_concerned": ("Clients concernés (publiés)", "Clients concerned (published)"),
}
