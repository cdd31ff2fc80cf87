"""Messages: census (French first, English beside)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "census.error.zip_damaged": (
        "L'archive « {name} » est endommagée ou incomplète (téléchargement interrompu ?). "
        "Téléchargez-la de nouveau depuis Statistique Canada. L'import précédent est inchangé.",
        "The archive '{name}' is damaged or incomplete (interrupted download?). Download it again "
        "from Statistics Canada. The previous import is unchanged.",
    ),
    "census.error.zip_method": (
        "L'archive « {name} » utilise une méthode de compression que l'outil ne lit pas : extrayez-en "
        "le fichier CSV de données et importez ce fichier. L'import précédent est inchangé.",
        "The archive '{name}' uses a compression method the tool cannot read: extract its data CSV "
        "file and import that file. The previous import is unchanged.",
    ),
    "census.error.no_data_file": (
        "L'archive « {name} » ({files} fichier(s)) ne contient aucun fichier de données du profil du "
        "recensement (colonnes DGUID, CHARACTERISTIC_NAME, C1_COUNT_TOTAL). L'import précédent est inchangé.",
        "The archive '{name}' ({files} file(s)) holds no Census Profile data file (columns DGUID, "
        "CHARACTERISTIC_NAME, C1_COUNT_TOTAL). The previous import is unchanged.",
    ),
    "census.error.truncated": (
        "Le fichier « {name} » s'arrête au milieu d'une géographie (ligne {line}) : il est tronqué. "
        "Téléchargez-le de nouveau. L'import précédent est inchangé.",
        "The file '{name}' stops in the middle of a geography (line {line}): it is truncated. "
        "Download it again. The previous import is unchanged.",
    ),
    "census.error.malformed": (
        "Le fichier « {name} » n'a pas la forme du profil du recensement à la ligne {line} (nombre de "
        "colonnes ou longueur de ligne). L'import précédent est inchangé.",
        "The file '{name}' does not have the Census Profile layout at line {line} (number of columns "
        "or line length). The previous import is unchanged.",
    ),
    "census.error.damaged": (
        "Le fichier « {name} » ne peut pas être lu jusqu'au bout ({detail}) : il est endommagé ou "
        "incomplet. L'import précédent est inchangé.",
        "The file '{name}' cannot be read to the end ({detail}): it is damaged or incomplete. "
        "The previous import is unchanged.",
    ),
    "census.error.no_characteristic": (
        "Le fichier contient {places} géographie(s) de la région mais aucune des caractéristiques "
        "recherchées (première langue officielle parlée, langue maternelle, connaissance des langues "
        "officielles, immigrants). Utilisez la version anglaise du profil complet. L'import précédent "
        "est inchangé.",
        "The file holds {places} geography(ies) of the region but none of the characteristics looked "
        "for (first official language spoken, mother tongue, knowledge of official languages, "
        "immigrants). Use the English version of the full profile. The previous import is unchanged.",
    ),
    "census.error.demand_file": (
        "Le fichier des données du recensement déjà importées ({path}) est illisible ; déplacez-le "
        "puis importez de nouveau.",
        "The file of census data already imported ({path}) is unreadable; move it away and import again.",
    ),
    "census.progress": ("Lecture du recensement", "Reading the census"),
    "census.level.csd": ("municipalités (SDR)", "municipalities (CSD)"),
    "census.level.ct": ("secteurs de recensement (SR)", "census tracts (CT)"),
    "census.level.da": ("aires de diffusion (AD)", "dissemination areas (DA)"),
    "census.read": (
        "Lu : {rows} ligne(s) dans {files} (encodage {encodings}).",
        "Read: {rows} line(s) in {files} (encoding {encodings}).",
    ),
    "census.kept": (
        "Gardé — {level}, {label} : {places} lieu(x), dont {missing} sans valeur publiée (x, F, ..).",
        "Kept — {level}, {label}: {places} place(s), {missing} of them without a published value (x, F, ..).",
    ),
}
