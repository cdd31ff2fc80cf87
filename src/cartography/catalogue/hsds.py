"""Messages: the Open Referral HSDS 3.0 export (French first, English beside)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "hsds.help": (
        "exporter le répertoire au format ouvert HSDS 3.0 (Open Referral)",
        "export the directory in the open HSDS 3.0 format (Open Referral)",
    ),
    "hsds.help.output": ("dossier ou fichier .zip à écrire", "folder or .zip file to write"),
    "hsds.help.no_contacts": (
        "ne pas publier les personnes-ressources (nom, courriel)",
        "do not publish contact persons (name, email)",
    ),
    "hsds.done": (
        "Export HSDS 3.0 du cycle {cycle} écrit dans {path} : {orgs} organismes, {locations} lieux, "
        "{services} services ; effectifs, besoins et lacunes protégés dans extra/.",
        "HSDS 3.0 export of cycle {cycle} written to {path}: {orgs} organisations, {locations} sites, "
        "{services} services; protected counts, needs and gaps in extra/.",
    ),
    "hsds.error.target_exists": (
        "Le dossier {path} existe déjà et n'est pas vide : choisissez un nouveau dossier ou un nom en .zip.",
        "Folder {path} already exists and is not empty: choose a new folder or a .zip name.",
    ),
    "hsds.error.nothing_validated": (
        "Aucune soumission validée pour le cycle {cycle} : rien à exporter.",
        "No validated submission for cycle {cycle}: nothing to export.",
    ),
    "hsds.download.kind": ("Répertoire HSDS 3.0 (.zip)", "HSDS 3.0 directory (.zip)"),
    "hsds.download.help": (
        "Le répertoire des services au format ouvert HSDS 3.0 (Open Referral), tel que l'écrit la "
        "commande « export hsds » : organismes, lieux et services validés du cycle et, dans extra/, "
        "les effectifs, besoins et lacunes protégés (publiés). Toute la région : les filtres ne "
        "s'appliquent pas.",
        "The service directory in the open HSDS 3.0 format (Open Referral), as the « export hsds » "
        "command writes it: the cycle's validated organisations, sites and services and, in extra/, "
        "the protected (published) counts, needs and gaps. The whole region: the filters do not apply.",
    ),
}
