"""The message catalogue: every word a user reads, French first, English beside.

Screens, workbooks, slides and command-line messages all take their text from here so that
the two languages never drift apart and a translator has one file to read. Keys are stable
and English; values are ``(français, english)`` pairs with ``str.format`` fields.
"""

from __future__ import annotations

from typing import Literal

from cartography.typography import french

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # --- application -------------------------------------------------------------------
    "app.title": ("Cartographie des services en français", "Map of French-language services"),
    "app.subtitle": (
        "Services offerts aux immigrants francophones et besoins de leurs clients — London, Middlesex, Elgin et Oxford",
        "Services offered to Francophone immigrants and their clients' needs — London, Middlesex, Elgin and Oxford",
    ),
    "nav.home": ("Accueil", "Home"),
    "nav.template": ("Gabarit", "Template"),
    "nav.map": ("Carte des lacunes", "Gap map"),
    "nav.explorer": ("Explorateur", "Explorer"),
    "nav.reports": ("Rapports", "Reports"),
    "nav.admin": ("Administration", "Administration"),
    "ui.signed_in_as": ("Connecté : {name} ({role})", "Signed in: {name} ({role})"),
    "ui.sign_out": ("Se déconnecter", "Sign out"),
    "ui.sign_in": ("Connexion", "Sign in"),
    "ui.username": ("Nom d'utilisateur", "Username"),
    "ui.password": ("Mot de passe", "Password"),
    "ui.sign_in_button": ("Se connecter", "Sign in"),
    "ui.sign_in_failed": ("Nom d'utilisateur ou mot de passe incorrect.", "Wrong username or password."),
    "ui.sign_in_required": (
        "Connectez-vous (barre latérale) pour voir cette page.",
        "Sign in (sidebar) to see this page.",
    ),
    "ui.not_allowed": ("Votre compte ne donne pas accès à cette page.", "Your account cannot open this page."),
    "ui.no_cycle": ("Aucun cycle n'est ouvert pour l'instant.", "No cycle is open yet."),
    "ui.cycle": ("Cycle", "Cycle"),
    "ui.choose": ("Toutes (choisir pour filtrer)", "All (choose to filter)"),
    "ui.nothing_validated": (
        "Aucune soumission validée pour ce cycle : rien à montrer encore.",
        "No validated submission for this cycle: nothing to show yet.",
    ),
    "ui.demo_note": (
        "les lieux, services, nombres et besoins montrés ici sont inventés.",
        "the sites, services, counts and needs shown here are invented.",
    ),
    "home.participation": ("Participation au cycle {cycle}", "Participation in cycle {cycle}"),
    "home.submitted": ("Ont soumis", "Submitted"),
    "home.validated": ("Validés", "Validated"),
    "home.rate": ("Taux d'utilisation", "Participation rate"),
    "home.status.validated": ("Validée (version {version})", "Validated (version {version})"),
    "home.status.submitted": (
        "Soumise, à valider ({versions} version(s))",
        "Submitted, to validate ({versions} version(s))",
    ),
    "home.status.none": ("Pas encore soumise", "Not submitted yet"),
    "home.col.status": ("État", "Status"),
    "home.region_heading": ("La région", "The region"),
    "home.municipality_count": ("Municipalités", "Municipalities"),
    "demo.label": ("Données fictives de démonstration", "Fictitious demonstration data"),
    # --- geography ---------------------------------------------------------------------
    "geo.fidelity.generalised": (
        "généralisée (limites simplifiées, pour une vue d'ensemble)",
        "generalised (simplified boundaries, for an overview)",
    ),
    "geo.fidelity.official": (
        "officielle (fichiers de limites cartographiques de Statistique Canada)",
        "official (Statistics Canada cartographic boundary files)",
    ),
    "geo.attribution.statcan": (
        "Adapté de Statistique Canada, fichiers des limites du Recensement de 2021 et "
        "tableau 98-10-0002-01. Ceci ne constitue pas une approbation de ce produit par "
        "Statistique Canada.",
        "Adapted from Statistics Canada, 2021 Census boundary files and Table 98-10-0002-01. "
        "This does not constitute an endorsement by Statistics Canada of this product.",
    ),
    "geo.attribution.geonames": (
        "Contient des données de GeoNames (geonames.org), CC BY 4.0.",
        "Contains data from GeoNames (geonames.org), CC BY 4.0.",
    ),
    "geo.error.source_missing": (
        "Les données géographiques sont introuvables dans « {path} ». Indiquez le dossier "
        "avec la variable CARTO_GEO_SOURCE ou lancez « cartography geo build --from ... ».",
        "The geographic data cannot be found in '{path}'. Name the folder with the "
        "CARTO_GEO_SOURCE variable or run 'cartography geo build --from ...'.",
    ),
    "geo.error.file_missing": (
        "Fichier de limites manquant : « {name} » introuvable dans « {path} ». Téléchargez les "
        "fichiers de limites cartographiques 2021 de Statistique Canada (format shapefile).",
        "Boundary file missing: '{name}' not found in '{path}'. Download Statistics Canada's "
        "2021 cartographic boundary files (shapefile format).",
    ),
    "geo.error.bad_file": (
        "Le fichier « {name} » n'est pas un fichier de limites valide : {detail}",
        "The file '{name}' is not a valid boundary file: {detail}",
    ),
    "geo.error.missing_columns": (
        "Le fichier « {name} » n'a pas les colonnes attendues ({columns}). Est-ce bien le "
        "fichier officiel de Statistique Canada ?",
        "The file '{name}' lacks the expected columns ({columns}). Is it Statistics Canada's official file?",
    ),
    "geo.error.no_region": (
        "Le fichier « {name} » ne contient aucune entité des divisions 3532, 3534 ou 3539.",
        "The file '{name}' holds no feature of divisions 3532, 3534 or 3539.",
    ),
    "geo.error.download": (
        "Téléchargement impossible de « {url} » : {detail}. Vérifiez l'adresse et la "
        "connexion, ou téléchargez les fichiers et donnez leur dossier.",
        "Cannot download '{url}': {detail}. Check the address and the connection, or "
        "download the files and give their folder.",
    ),
    "geo.error.checksum": (
        "La somme de contrôle de « {name} » ne correspond pas (attendue {expected}, "
        "obtenue {actual}). Le fichier est peut-être incomplet : téléchargez-le à nouveau.",
        "The checksum of '{name}' does not match (expected {expected}, got {actual}). The "
        "file may be incomplete: download it again.",
    ),
    "geo.build.done": (
        "Géographie officielle construite dans « {path} » : {cd} divisions, {csd} "
        "municipalités, {fsa} RTA, {da} aires de diffusion.",
        "Official geography built in '{path}': {cd} divisions, {csd} municipalities, {fsa} "
        "FSAs, {da} dissemination areas.",
    ),
    "geo.build.downloading": ("Téléchargement de {name}", "Downloading {name}"),
    # --- geocoding ---------------------------------------------------------------------
    "geocode.precision.coordinates": ("coordonnées", "coordinates"),
    "geocode.precision.postal_fsa": (
        "code postal (région de tri d'acheminement)",
        "postal code (forward sortation area)",
    ),
    "geocode.precision.place": ("localité", "place"),
    "geocode.precision.municipality": ("municipalité", "municipality"),
    "geocode.error.empty": (
        "Aucune adresse donnée : inscrivez des coordonnées, un code postal ou une municipalité.",
        "No location given: enter coordinates, a postal code or a municipality.",
    ),
    "geocode.error.unknown": (
        "Lieu inconnu : « {text} » n'est ni une municipalité ni une localité de la région "
        "desservie (London, Middlesex, Elgin, Oxford) : c'est un lieu hors de la région, ou "
        "le nom est mal orthographié. Vérifiez l'orthographe, ou inscrivez le code postal.",
        "Unknown place: '{text}' is neither a municipality nor a community of the region "
        "served (London, Middlesex, Elgin, Oxford): it is a place outside the region, or the "
        "name is misspelt. Check the spelling, or enter the postal code.",
    ),
    "geocode.error.unknown_suggest": (
        "Lieu inconnu ou hors de la région : « {text} ». Vouliez-vous dire : {names} ?",
        "Unknown place or outside the region: '{text}'. Did you mean: {names}?",
    ),
    "geocode.error.outside": (
        "« {text} » est hors de la région desservie (London, Middlesex, Elgin, Oxford).",
        "'{text}' is outside the region served (London, Middlesex, Elgin, Oxford).",
    ),
    "geocode.error.postal_outside": (
        "Le code postal « {code} » n'appartient pas à la région (London, Middlesex, Elgin, "
        "Oxford). Vérifiez-le, ou inscrivez la municipalité.",
        "The postal code '{code}' is not in the region (London, Middlesex, Elgin, Oxford). "
        "Check it, or enter the municipality.",
    ),
    "geocode.error.postal_rural": (
        "Le code postal « {code} » est rural (RTA {fsa}) : il couvre plusieurs municipalités "
        "et comtés. Ajoutez la municipalité (par exemple « {code}, {example} »).",
        "The postal code '{code}' is rural (FSA {fsa}): it covers several municipalities "
        "and counties. Add the municipality (for example '{code}, {example}').",
    ),
    "geocode.error.postal_format": (
        "Code postal mal formé : « {text} ». Forme attendue : A1A 1A1 (ou les trois premiers caractères, A1A).",
        "Malformed postal code: '{text}'. Expected form: A1A 1A1 (or the first three characters, A1A).",
    ),
    "geocode.error.coordinates": (
        "Coordonnées impossibles : « {text} ». Forme attendue : latitude, longitude en "
        "degrés décimaux (par exemple 42.98, -81.25).",
        "Impossible coordinates: '{text}'. Expected form: latitude, longitude in decimal "
        "degrees (for example 42.98, -81.25).",
    ),
    "geocode.note.uncertain": (
        "Municipalité incertaine : le point est à moins de {km} km de la limite de {others}. Vérifiez la municipalité.",
        "Uncertain municipality: the point is within {km} km of the boundary of {others}. Check the municipality.",
    ),
    "geocode.note.postal_full": (
        "Code postal complet placé au centre de sa région de tri d'acheminement ({fsa}).",
        "Full postal code placed at the centre of its forward sortation area ({fsa}).",
    ),
    "geocode.note.fsa_place": (
        "RTA rurale {fsa} précisée par la municipalité.",
        "Rural FSA {fsa} narrowed down by the municipality.",
    ),
    # --- template and validation ---------------------------------------------------------
    "validation.required": (
        "Valeur obligatoire manquante : remplissez la colonne « {name} ».",
        "Required value missing: fill in the column '{name}'.",
    ),
    "validation.not_in_list": (
        "« {value} » n'est pas dans la liste « {list} ». Choisissez une valeur du menu déroulant.",
        "'{value}' is not in the list '{list}'. Pick a value from the drop-down.",
    ),
    "validation.not_integer": (
        "« {value} » n'est pas un nombre entier. Inscrivez un nombre entier (0, 1, 2…).",
        "'{value}' is not a whole number. Enter a whole number (0, 1, 2…).",
    ),
    "validation.negative": (
        "Le nombre {number} est négatif. Inscrivez 0 ou plus.",
        "The number {number} is negative. Enter 0 or more.",
    ),
    "validation.not_number": (
        "« {value} » n'est pas un nombre. Utilisez des degrés décimaux (par exemple 42.98).",
        "'{value}' is not a number. Use decimal degrees (for example 42.98).",
    ),
    "validation.coordinates_pair": (
        "Inscrivez la latitude et la longitude ensemble, ou aucune des deux.",
        "Enter both latitude and longitude, or neither.",
    ),
    "validation.email": (
        "« {value} » n'est pas une adresse courriel valide (forme attendue : nom@domaine.ca).",
        "'{value}' is not a valid email address (expected form: name@domain.ca).",
    ),
    "validation.org_id": (
        "Le code « {value} » ne convient pas : 2 à 40 lettres minuscules, chiffres, - ou _ (par exemple « ccfl »).",
        "The code '{value}' is not valid: 2 to 40 lower-case letters, digits, - or _ (for example 'ccfl').",
    ),
    "validation.unknown_municipality": (
        "Municipalité inconnue : « {value} ».",
        "Unknown municipality: '{value}'.",
    ),
    "validation.unknown_area": (
        "Municipalité ou région inconnue : « {value} ». Inscrivez une des 28 municipalités ou "
        "une région (London, Middlesex, Elgin, Oxford).",
        "Unknown municipality or region: '{value}'. Enter one of the 28 municipalities or a "
        "region (London, Middlesex, Elgin, Oxford).",
    ),
    "validation.unknown_site": (
        "Le code de lieu « {value} » n'existe pas dans la feuille « Lieux ». Codes connus : {known}.",
        "The site code '{value}' does not exist in the 'Lieux' sheet. Known codes: {known}.",
    ),
    "validation.site_required": (
        "Un service en personne ou itinérant doit indiquer son lieu (colonne « Code du lieu »).",
        "An in-person or itinerant service must name its site (column 'Code du lieu').",
    ),
    "validation.duplicate_code": (
        "Le code « {value} » est déjà utilisé à la ligne {other}. Chaque code doit être unique.",
        "The code '{value}' is already used on row {other}. Each code must be unique.",
    ),
    "validation.duplicate_site": (
        "Ce lieu répète celui de la ligne {other} (même nom et même municipalité). "
        "Supprimez le doublon ou distinguez les noms.",
        "This site repeats the one on row {other} (same name and municipality). Remove the "
        "duplicate or tell the names apart.",
    ),
    "validation.duplicate_row": (
        "Cette ligne répète la ligne {other} (mêmes {what}). Additionnez les nombres sur une seule ligne.",
        "This row repeats row {other} (same {what}). Add the numbers up on one row.",
    ),
    "validation.postal_mismatch": (
        "Le code postal {value} est à {postal_place}, mais la municipalité indiquée est "
        "{municipality}. Corrigez l'un ou l'autre.",
        "The postal code {value} is in {postal_place}, but the municipality given is "
        "{municipality}. Correct one or the other.",
    ),
    "validation.missing_sheet": (
        "La feuille « {value} » manque. Téléchargez un nouveau gabarit et recopiez-y vos réponses.",
        "The sheet '{value}' is missing. Download a new template and copy your answers into it.",
    ),
    "validation.bad_header": (
        "La colonne {letter} devrait s'intituler « {expected} » mais s'intitule « {value} ». "
        "Ne déplacez pas les colonnes du gabarit.",
        "Column {letter} should be titled '{expected}' but is titled '{value}'. Do not move the template's columns.",
    ),
    "validation.too_many_rows": (
        "Trop de lignes dans la feuille ({value} ; au plus {limit}).",
        "Too many rows in the sheet ({value}; at most {limit}).",
    ),
    "validation.no_sites": (
        "Aucun lieu : inscrivez au moins un lieu de service.",
        "No site: enter at least one service site.",
    ),
    "validation.text_too_long": (
        "Texte trop long ({count} caractères ; au plus {limit}).",
        "Text too long ({count} characters; at most {limit}).",
    ),
    "validation.file_not_found": (
        "Fichier introuvable : « {value} ».",
        "File not found: '{value}'.",
    ),
    "validation.file_too_large": (
        "Le fichier pèse {value} Mo ; la limite est {limit} Mo. Un gabarit rempli pèse "
        "quelques dizaines de Ko : retirez les images ou les feuilles ajoutées.",
        "The file is {value} MB; the limit is {limit} MB. A filled template weighs a few dozen "
        "KB: remove pictures or added sheets.",
    ),
    "validation.file_encrypted": (
        "Le fichier est protégé par un mot de passe (ou c'est un ancien format .xls). Enlevez "
        "le mot de passe et enregistrez-le au format Excel .xlsx.",
        "The file is password-protected (or an old .xls). Remove the password and save it as an Excel .xlsx workbook.",
    ),
    "validation.file_not_workbook": (
        "Ce fichier n'est pas un classeur Excel .xlsx. Téléchargez le gabarit, remplissez-le "
        "et enregistrez-le au format .xlsx.",
        "This file is not an Excel .xlsx workbook. Download the template, fill it in and save it as .xlsx.",
    ),
    "validation.file_empty": ("Le fichier est vide.", "The file is empty."),
    "validation.suggest_name": ("Vouliez-vous dire « {value} » ?", "Did you mean '{value}'?"),
    "validation.suggest_list": ("Valeurs permises : {value}", "Allowed values: {value}"),
    "validation.suggest_postal": ("Forme attendue : A1A 1A1", "Expected form: A1A 1A1"),
    "validation.summary_ok": (
        "Gabarit valide : {org} — {sites} lieu(x), {services} service(s), {clients} ligne(s) de "
        "clients, {needs} besoin(s).",
        "Valid template: {org} — {sites} site(s), {services} service(s), {clients} client row(s), {needs} need(s).",
    ),
    "validation.summary_errors": (
        "{count} problème(s) à corriger. Rien n'a été enregistré.",
        "{count} problem(s) to fix. Nothing was stored.",
    ),
    "validation.col.sheet": ("Feuille", "Sheet"),
    "validation.col.row": ("Ligne", "Row"),
    "validation.col.column": ("Colonne", "Column"),
    "validation.col.value": ("Valeur", "Value"),
    "validation.col.message": ("Problème", "Problem"),
    "validation.col.suggestion": ("Suggestion", "Suggestion"),
    "template.instructions": (
        "Gabarit de présentation — cycle {cycle}|"
        "Ce classeur recueille la présentation de votre organisme au comité : vos lieux de service, "
        "vos services et leur langue, vos clients immigrants francophones et leurs besoins.|"
        "1. Remplissez la feuille « Organisme » (colonne B).|"
        "2. Une ligne par lieu dans « Lieux », par service dans « Services », par municipalité et "
        "profil dans « Clients », par besoin dans « Besoins ».|"
        "3. Les colonnes marquées * sont obligatoires. Choisissez les valeurs dans les menus déroulants "
        "(la feuille « Listes » les montre toutes).|"
        "4. La ligne 3 de chaque feuille est un EXEMPLE : elle n'est jamais lue. Écrivez à partir de la "
        "ligne 4.|"
        "5. Ne renommez pas les feuilles et ne déplacez pas les colonnes.|"
        "6. Déposez le fichier dans l'application ou envoyez-le à la coordination. Un fichier avec des "
        "erreurs ne change rien : la liste des problèmes indique la feuille, la ligne et la colonne.|"
        "Les petits nombres de clients (1 à 4) ne sont jamais publiés ; les autres sont arrondis.",
        "Presentation template — cycle {cycle}|"
        "This workbook collects your organisation's presentation to the committee: your service sites, "
        "your services and their language, your Francophone immigrant clients and their needs.|"
        "1. Fill in the 'Organisme' sheet (column B).|"
        "2. One row per site in 'Lieux', per service in 'Services', per municipality and profile in "
        "'Clients', per need in 'Besoins'.|"
        "3. Columns marked * are required. Pick values from the drop-downs (the 'Listes' sheet shows "
        "them all).|"
        "4. Row 3 of each sheet is an EXAMPLE: it is never read. Write from row 4 on.|"
        "5. Do not rename sheets or move columns.|"
        "6. Upload the file in the app or send it to the coordinator. A file with errors changes "
        "nothing: the list of problems gives the sheet, row and column.|"
        "Small client counts (1 to 4) are never published; others are rounded.",
    ),
    "template.prefilled": (
        "Pré-rempli avec vos réponses validées du cycle {cycle} (version {version}) : mettez à jour ce qui a changé.",
        "Pre-filled with your validated answers of cycle {cycle} (version {version}): update what changed.",
    ),
    "template.field": ("Champ", "Field"),
    "template.help": ("Aide", "Help"),
    "template.dv.whole": ("Nombre entier", "Whole number"),
    "template.dv.not_allowed": ("Valeur non permise", "Value not allowed"),
    "template.page_intro": (
        "Téléchargez le gabarit, remplissez-le dans Excel puis déposez-le ici ; ou remplissez le "
        "formulaire en ligne. Un gabarit avec des erreurs ne change rien.",
        "Download the template, fill it in Excel and upload it here; or fill in the online form. A "
        "template with errors changes nothing.",
    ),
    "template.download_blank": ("Télécharger le gabarit vierge", "Download the blank template"),
    "template.download_prefilled": (
        "Télécharger le gabarit pré-rempli de mon organisme",
        "Download my organisation's pre-filled template",
    ),
    "template.tab_upload": ("Déposer un gabarit rempli", "Upload a filled template"),
    "template.tab_form": ("Formulaire en ligne", "Online form"),
    "template.upload": ("Gabarit rempli (.xlsx, 5 Mo au plus)", "Filled template (.xlsx, 5 MB at most)"),
    "template.submit": ("Soumettre pour le cycle {cycle}", "Submit for cycle {cycle}"),
    "template.sign_in_to_submit": (
        "Le gabarit est valide. Connectez-vous avec le compte de votre organisme pour le soumettre.",
        "The template is valid. Sign in with your organisation's account to submit it.",
    ),
    "template.not_your_org": (
        "Ce gabarit est celui de l'organisme « {org} » : vous ne pouvez soumettre que pour le vôtre.",
        "This template belongs to organisation '{org}': you can only submit for your own.",
    ),
    "template.check_form": ("Vérifier le formulaire", "Check the form"),
    "template.mine": ("Mes soumissions", "My submissions"),
    "template.none_yet": ("Aucune soumission pour l'instant.", "No submission yet."),
    "template.own_clients": (
        "Mes clients (version {version}, nombres exacts — visibles par mon organisme seulement)",
        "My clients (version {version}, exact counts — visible to my organisation only)",
    ),
    "template.value": ("Valeur", "Value"),
    "template.whole_region": ("Toute la région", "Whole region"),
    # --- store ------------------------------------------------------------------------------
    "store.error.cycle_format": (
        "Cycle « {code} » mal formé : forme attendue 2019-2020 (deux années consécutives).",
        "Malformed cycle '{code}': expected form 2019-2020 (two consecutive years).",
    ),
    "store.error.cycle_exists": ("Le cycle {code} est déjà ouvert.", "Cycle {code} is already open."),
    "store.error.no_cycle": (
        "Le cycle {code} n'existe pas. La coordination doit d'abord l'ouvrir (cartography cycle open {code}).",
        "Cycle {code} does not exist. The coordinator must open it first (cartography cycle open {code}).",
    ),
    "store.error.cycle_closed": (
        "Le cycle {code} est fermé : il n'accepte plus de soumissions.",
        "Cycle {code} is closed: it no longer accepts submissions.",
    ),
    "store.error.no_submission": ("Soumission {id} introuvable.", "Submission {id} not found."),
    "store.error.no_version": (
        "Aucune version {version} pour l'organisme « {org} » au cycle {cycle}.",
        "No version {version} for organisation '{org}' in cycle {cycle}.",
    ),
    "store.submitted": (
        "Soumission enregistrée : {org}, cycle {cycle}, version {version} (à valider par la coordination).",
        "Submission stored: {org}, cycle {cycle}, version {version} (to be validated by the coordinator).",
    ),
    "store.validated": (
        "Version {version} de « {org} » validée pour le cycle {cycle}.",
        "Version {version} of '{org}' validated for cycle {cycle}.",
    ),
    "store.cycle_opened": ("Cycle {code} ouvert.", "Cycle {code} opened."),
    "store.col.org": ("Organisme", "Organisation"),
    "store.col.versions": ("Versions", "Versions"),
    "store.col.validated": ("Version validée", "Validated version"),
    "store.col.last": ("Dernier envoi", "Last submitted"),
    "store.not_submitted": ("aucune soumission", "no submission"),
    "store.participation": (
        "Taux d'utilisation : {done} organisme(s) sur {total} ont soumis ; {validated} validé(s).",
        "Participation: {done} of {total} organisation(s) submitted; {validated} validated.",
    ),
    # --- compile ------------------------------------------------------------------------------
    "compile.error.nothing_validated": (
        "Aucune soumission validée pour le cycle {cycle} : la coordination doit valider au moins une "
        "version (cartography cycle validate).",
        "No validated submission for cycle {cycle}: the coordinator must validate at least one version "
        "(cartography cycle validate).",
    ),
    "compile.error.format": (
        "Format « {fmt} » inconnu. Formats possibles : {formats}.",
        "Unknown format '{fmt}'. Possible formats: {formats}.",
    ),
    "compile.done": (
        "Cycle {cycle} compilé dans « {path} » : {orgs} organisme(s), {points} point(s) de service.",
        "Cycle {cycle} compiled into '{path}': {orgs} organisation(s), {points} service point(s).",
    ),
    "compile.missing": (
        "Membres sans soumission validée : {names}.",
        "Members without a validated submission: {names}.",
    ),
    "compile.limits": (
        "Les besoins sont ceux que les membres ont signalés : ce n'est pas une mesure de prévalence. "
        "Les distances sont à vol d'oiseau. Les limites sont généralisées si elles ne viennent pas des "
        "fichiers officiels. Les petits nombres (1 à 4) sont supprimés et les autres arrondis au multiple "
        "de 5.",
        "Needs are those members reported: they are not a measure of prevalence. Distances are "
        "straight-line. Boundaries are generalised unless built from the official files. Small counts "
        "(1 to 4) are suppressed and others rounded to a multiple of 5.",
    ),
    # --- census ---------------------------------------------------------------------------
    "census.error.unreadable": (
        "Le fichier du recensement est illisible ({detail}). Téléchargez le profil du recensement 2021 "
        "de Statistique Canada (CSV ou archive .zip). L'import précédent est inchangé.",
        "The census file cannot be read ({detail}). Download Statistics Canada's 2021 Census Profile "
        "(CSV or .zip archive). The previous import is unchanged.",
    ),
    "census.error.columns": (
        "Ce fichier n'est pas un profil du recensement 2021 : il lui manque les colonnes {columns}. "
        "L'import précédent est inchangé.",
        "This file is not a 2021 Census Profile: it lacks the columns {columns}. The previous import is unchanged.",
    ),
    "census.error.nothing": (
        "Ce profil du recensement ne contient aucune géographie de la région (municipalités et aires "
        "de diffusion d'Oxford, Elgin et Middlesex, secteurs de recensement de la RMR de London). "
        "L'import précédent est inchangé.",
        "This Census Profile holds no geography of the region (municipalities and dissemination areas "
        "of Oxford, Elgin and Middlesex, census tracts of the London CMA). The previous import is "
        "unchanged.",
    ),
    "census.error.unknown_demand": (
        "Demande « {key} » inconnue. Valeurs possibles : pop_2021, {keys}.",
        "Unknown demand '{key}'. Possible values: pop_2021, {keys}.",
    ),
    "census.error.not_imported": (
        "La caractéristique « {key} » n'a pas été importée : lancez d'abord « cartography census import FICHIER.csv ».",
        "The characteristic '{key}' has not been imported: run 'cartography census import FILE.csv' first.",
    ),
    "census.imported": (
        "Importé : {rows} valeur(s) pour {places} lieu(x) de la région, dans {path}.",
        "Imported: {rows} value(s) for {places} place(s) of the region, into {path}.",
    ),
    # --- maps -------------------------------------------------------------------------------
    "map.basemap": ("Fond de carte OpenStreetMap (Internet)", "OpenStreetMap basemap (Internet)"),
    "map.layer.gaps": ("Lacunes", "Gaps"),
    "map.layer.points": ("Points de service", "Service points"),
    "map.layer.areas": ("Zones desservies (itinérant, virtuel)", "Areas served (itinerant, virtual)"),
    "map.layer.needs": ("Besoins déclarés", "Reported needs"),
    "map.indicator.gap_class": ("Classe de lacune", "Gap class"),
    "map.indicator.gap_index": ("Indice de lacune (0 à 1)", "Gap index (0 to 1)"),
    "map.indicator.access_e2sfca_per_10k": (
        "Accessibilité E2SFCA (services pour 10 000 personnes de la demande)",
        "E2SFCA accessibility (services per 10,000 people of the demand)",
    ),
    "map.indicator.access_2sfca_per_10k": (
        "Accessibilité 2SFCA (services pour 10 000 personnes de la demande)",
        "2SFCA accessibility (services per 10,000 people of the demand)",
    ),
    "map.indicator.nearest_km": (
        "Distance au service le plus proche (km)",
        "Distance to nearest service (km)",
    ),
    "map.indicator.services_serving": ("Services desservant la zone", "Services serving the area"),
    "map.indicator.needs_unmet": ("Besoins non comblés déclarés", "Unmet needs reported"),
    "map.class.0": ("Très faible", "Very low"),
    "map.class.1": ("Faible", "Low"),
    "map.class.2": ("Moyen", "Medium"),
    "map.class.3": ("Élevé", "High"),
    "map.class.4": ("Très élevé", "Very high"),
    "map.field.name": ("Zone", "Area"),
    "map.field.class": ("Classe", "Class"),
    "map.field.index": ("Indice de lacune", "Gap index"),
    "map.field.access": (
        "Services pour 10 000 personnes de la demande (E2SFCA)",
        "Services per 10,000 people of the demand (E2SFCA)",
    ),
    "map.field.nearest": ("Service en personne le plus proche (km)", "Nearest in-person service (km)"),
    "map.field.serving": ("Services desservant la zone", "Services serving the area"),
    "map.field.needs": ("Besoins non comblés", "Unmet needs"),
    "map.field.needs_reported": ("Besoins déclarés", "Needs reported"),
    "map.field.pop": ("Demande (personnes)", "Demand (people)"),
    "map.field.remote": ("Services itinérants ou virtuels", "Itinerant or virtual services"),
    "map.field.services": ("Services", "Services"),
    "map.field.precision": ("Précision", "Precision"),
    "map.needs_note": (
        "Besoins déclarés par les membres : ce n'est pas une mesure de prévalence.",
        "Needs reported by members: not a measure of prevalence.",
    ),
    "map.control.level": ("Niveau", "Level"),
    "map.control.category": ("Catégorie de service", "Service category"),
    "map.control.indicator": ("Indicateur", "Indicator"),
    "map.control.regions": ("Régions (comtés)", "Regions (counties)"),
    "map.control.municipalities": ("Municipalités", "Municipalities"),
    "map.control.languages": ("Langue de service (points)", "Language of service (points)"),
    "map.all_categories": ("Toutes les catégories", "All categories"),
    "map.click_hint": (
        "Cliquez sur une zone de la carte pour voir ses détails ici.",
        "Click an area on the map to see its details here.",
    ),
    "map.detail.indicator": ("Indicateur", "Indicator"),
    "map.detail.value": ("Valeur", "Value"),
    "map.detail.in": ("Services en personne dans la zone", "In-person services in the area"),
    "map.detail.itinerant": ("Services itinérants", "Itinerant services"),
    "map.detail.virtual": ("Services virtuels", "Virtual services"),
    "explorer.stage": ("Étape du continuum", "Continuum stage"),
    "explorer.profile": ("Profil de clientèle", "Client profile"),
    "explorer.tab.gaps": ("Lacunes", "Gaps"),
    "explorer.tab.services": ("Services", "Services"),
    "explorer.tab.clients": ("Clients", "Clients"),
    "explorer.tab.needs": ("Besoins", "Needs"),
    "explorer.protected": (
        "Nombres protégés : 1 à 4 supprimés, autres arrondis au multiple de 5.",
        "Protected counts: 1 to 4 suppressed, others rounded to a multiple of 5.",
    ),
    "explorer.download": ("Télécharger ce qui est filtré", "Download what is filtered"),
    "explorer.format": ("Format", "Format"),
    "explorer.prepare": ("Préparer le fichier", "Prepare the file"),
    "explorer.download_file": ("Télécharger {name}", "Download {name}"),
    "reports.intro": (
        "Emportez les résultats compilés et protégés : présentation PowerPoint, GeoPackage pour QGIS, "
        "classeur Excel, carte autonome (s'ouvre sans Internet), tableaux CSV, GeoJSON pour les cartes web, "
        "ou répertoire des services au format HSDS 3.0.",
        "Take the compiled, protected results away: PowerPoint deck, GeoPackage for QGIS, Excel workbook, "
        "standalone map (opens with no internet), CSV tables, GeoJSON for web maps, or the service directory "
        "in HSDS 3.0.",
    ),
    "reports.csv": ("Tableaux CSV", "CSV tables"),
    "reports.geojson": ("GeoJSON (cartes web)", "GeoJSON (web maps)"),
    "reports.pptx": ("Présentation PowerPoint pour la table", "PowerPoint deck for the table"),
    "reports.own_pptx": ("Présentation PowerPoint de mon organisme", "My organisation's PowerPoint deck"),
    "reports.gpkg": ("GeoPackage (QGIS)", "GeoPackage (QGIS)"),
    "reports.xlsx": ("Classeur Excel", "Excel workbook"),
    "reports.html": ("Carte autonome (HTML)", "Standalone map (HTML)"),
    "admin.tab.cycles": ("Cycles", "Cycles"),
    "admin.tab.members": ("Membres", "Members"),
    "admin.tab.submissions": ("Soumissions", "Submissions"),
    "admin.tab.accounts": ("Comptes", "Accounts"),
    "admin.tab.audit": ("Journal d'audit", "Audit log"),
    "admin.cycle_code": ("Cycle (p. ex. 2020-2021)", "Cycle (e.g. 2020-2021)"),
    "admin.open_cycle": ("Ouvrir le cycle", "Open the cycle"),
    "admin.org_id": ("Code de l'organisme", "Organisation code"),
    "admin.org_name": ("Nom de l'organisme", "Organisation name"),
    "admin.org_type": ("Type d'organisme", "Type of organisation"),
    "admin.register": ("Inscrire le membre", "Register the member"),
    "admin.registered": ("Membre inscrit : {org}", "Member registered: {org}"),
    "admin.author": ("Auteur", "Author"),
    "admin.to_validate": ("Version à valider", "Version to validate"),
    "admin.validate": ("Valider cette version", "Validate this version"),
    "admin.role": ("Rôle", "Role"),
    "admin.create_account": ("Créer le compte", "Create the account"),
    "map.written": ("Carte écrite : {path} ({size} Ko)", "Map written: {path} ({size} KB)"),
    "map.error.category": (
        "Catégorie « {code} » inconnue. Codes possibles : all, {codes}.",
        "Unknown category '{code}'. Possible codes: all, {codes}.",
    ),
    # --- accounts -----------------------------------------------------------------------------
    "users.error.role": ("Rôle « {role} » inconnu ({roles}).", "Unknown role '{role}' ({roles})."),
    "users.error.password": (
        "Mot de passe trop court : au moins 8 caractères.",
        "Password too short: at least 8 characters.",
    ),
    "users.error.org_required": (
        "Un compte de membre doit être rattaché à un organisme (--org).",
        "A member account must belong to an organisation (--org).",
    ),
    "users.error.exists": ("Le compte « {username} » existe déjà.", "The account '{username}' already exists."),
    "users.error.no_org": (
        "Organisme « {org} » inconnu : inscrivez-le d'abord (page Administration).",
        "Unknown organisation '{org}': register it first (Administration page).",
    ),
    "users.error.mismatch": ("Les deux mots de passe diffèrent.", "The two passwords differ."),
    "users.created": ("Compte « {username} » créé ({role}).", "Account '{username}' created ({role})."),
    "users.role.coordinator": ("Coordination", "Coordinator"),
    "users.role.member": ("Membre", "Member"),
    "users.role.planner": ("Table et planification", "Table and planners"),
    # --- PowerPoint ---------------------------------------------------------------------------
    "report.title": (
        "Cartographie des besoins et des services en français",
        "Map of needs and French-language services",
    ),
    "report.subtitle": (
        "Immigrants francophones de London, Middlesex, Elgin et Oxford — cycle {cycle}",
        "Francophone immigrants in London, Middlesex, Elgin and Oxford — cycle {cycle}",
    ),
    "report.committee": (
        "Comité local en immigration francophone de London et comtés environnants — présentation à la table "
        "Franco-Info",
        "Local Francophone immigration committee of London and surrounding counties — presentation to the "
        "Franco-Info table",
    ),
    "report.prepared": ("Préparé le {day}", "Prepared on {day}"),
    "report.method_title": ("Contexte et méthode", "Context and method"),
    "report.method.1": (
        "Chaque organisme membre a rempli le gabarit de présentation : ses lieux, ses services et leur langue, "
        "ses clients et leurs besoins.",
        "Each member organisation filled the presentation template: its sites, its services and their "
        "language, its clients and their needs.",
    ),
    "report.method.2": (
        "Seules les réponses validées par la coordination sont compilées.",
        "Only answers validated by the coordinator are compiled.",
    ),
    "report.method.3": (
        "Un service compte « en français » s'il est offert activement ou sur demande en français ; "
        "l'interprétation est comptée à part.",
        "A service counts as 'in French' when offered actively or on request in French; interpretation is "
        "counted separately.",
    ),
    "report.method.4": (
        "L'accès compare les services en personne à la population qui peut les atteindre (30 km à vol "
        "d'oiseau, méthode E2SFCA).",
        "Access compares in-person services with the population that can reach them (30 km straight-line, "
        "E2SFCA method).",
    ),
    "report.method.5": (
        "Une zone est en lacune si aucun service n'est à portée, s'il est loin, si la capacité est faible "
        "ou si un besoin non comblé est signalé.",
        "An area has a gap when no service is within reach, when it is far, when capacity is low or when an "
        "unmet need is reported.",
    ),
    "report.participation_title": ("Participation au cycle {cycle}", "Participation in cycle {cycle}"),
    "report.status.validated": ("Validée", "Validated"),
    "report.status.submitted": ("Soumise, à valider", "Submitted, to validate"),
    "report.status.missing": ("Pas de soumission", "No submission"),
    "report.region_title": ("Région : {region}", "Region: {region}"),
    "report.region_subtitle": (
        "Lacunes par municipalité, toutes catégories ; points bleus : services en personne en français",
        "Gaps by municipality, all categories; blue dots: in-person French services",
    ),
    "report.main_gaps": ("Principales lacunes", "Main gaps"),
    "report.gap_line": (
        "{category} : {gap} (service en personne le plus proche à {km} km en moyenne ; {needs} besoin(s) non "
        "comblé(s) signalé(s))",
        "{category}: {gap} (nearest in-person service {km} km away on average; {needs} unmet need(s) reported)",
    ),
    "report.gap_line_none": (
        "{category} : {gap} (aucun service en personne dans la région ; {needs} besoin(s) non comblé(s) signalé(s))",
        "{category}: {gap} (no in-person service in the region; {needs} unmet need(s) reported)",
    ),
    "report.far_towns": (
        "Municipalités sans service en français à portée ou loin de tout service : {names}",
        "Municipalities with no French service within reach or far from any: {names}",
    ),
    "report.no_gap": ("Aucune lacune marquée dans les données de ce cycle.", "No marked gap in this cycle's data."),
    "report.needs_title": ("Besoins signalés par catégorie", "Needs reported by category"),
    "report.member_subtitle": (
        "Résumé de la soumission validée (version {version})",
        "Summary of the validated submission (version {version})",
    ),
    "report.services_heading": ("Services ({count})", "Services ({count})"),
    "report.sites_heading": ("Lieux ({count})", "Sites ({count})"),
    "report.clients_line": (
        "Clients immigrants francophones servis (arrondi) : {clients}",
        "Francophone immigrant clients served (rounded): {clients}",
    ),
    "report.clients_suppressed": ("moins de 5", "fewer than 5"),
    "report.needs_line": (
        "Besoins signalés : {needs}, dont {unmet} non ou partiellement comblé(s)",
        "Needs reported: {needs}, of which {unmet} unmet or partly met",
    ),
    "report.limits_title": ("Limites des données", "Limits of the data"),
    "report.limits.1": (
        "Les besoins sont ceux que les membres ont signalés : ce n'est pas une mesure de prévalence.",
        "Needs are those members reported: they are not a measure of prevalence.",
    ),
    "report.limits.2": (
        "Les distances sont à vol d'oiseau, pas des temps de déplacement.",
        "Distances are straight-line, not travel times.",
    ),
    "report.limits.3": (
        "Les limites municipales utilisées sont généralisées si les fichiers officiels n'ont pas été chargés.",
        "Municipal boundaries are generalised unless the official files were loaded.",
    ),
    "report.limits.4": (
        "Les petits nombres de clients (1 à 4) sont supprimés et les autres arrondis au multiple de 5.",
        "Small client counts (1 to 4) are suppressed and others rounded to a multiple of 5.",
    ),
    "report.limits.5": (
        "Seuls les membres ayant soumis une réponse validée sont comptés.",
        "Only members with a validated submission are counted.",
    ),
    "report.sources_title": ("Sources et attribution", "Sources and attribution"),
    "report.sources.members": (
        "Réponses des organismes membres au gabarit de présentation, cycle {cycle}.",
        "Member organisations' answers to the presentation template, cycle {cycle}.",
    ),
    "report.sources.tool": (
        "Produit avec l'outil Cartographie (méthode : docs/methodologie.md).",
        "Produced with the Cartographie tool (method: docs/methodologie.md).",
    ),
    "report.member_deck_subtitle": (
        "Présentation au comité — cycle {cycle}, version {version}",
        "Presentation to the committee — cycle {cycle}, version {version}",
    ),
    "report.member_deck_intro": (
        "Nos services offerts aux immigrants francophones, nos lieux, nos clients et leurs besoins.",
        "Our services to Francophone immigrants, our sites, our clients and their needs.",
    ),
    "report.services_title": ("Nos services", "Our services"),
    "report.sites_title": ("Nos lieux de service", "Our service sites"),
    "report.clients_title": ("Nos clients par région et par profil", "Our clients by region and profile"),
    "report.clients_exact": ("Nombres exacts de notre organisme", "Our organisation's exact counts"),
    "report.no_clients": ("Aucun client déclaré.", "No client reported."),
    "report.needs_member_title": ("Besoins de nos clients", "Our clients' needs"),
    "report.col.service": ("Service", "Service"),
    "report.col.language": ("Langue", "Language"),
    "report.col.mode": ("Mode", "Mode"),
    "report.col.site": ("Lieu", "Site"),
    "report.col.clients": ("Clients", "Clients"),
    "report.col.severity": ("Gravité", "Severity"),
    "report.col.comment": ("Commentaire", "Comment"),
    "report.written": (
        "Présentation écrite : {path} ({slides} diapositives)",
        "Deck written: {path} ({slides} slides)",
    ),
    "report.error.no_submission": (
        "Aucune soumission de l'organisme « {org} » pour le cycle {cycle}.",
        "No submission from organisation '{org}' for cycle {cycle}.",
    ),
    # --- table columns ------------------------------------------------------------------------
    "col.name": ("Zone", "Area"),
    "col.area_id": ("Code de la zone", "Area code"),
    "col.level": ("Niveau", "Level"),
    "col.category": ("Catégorie", "Category"),
    "col.demand": ("Demande (personnes)", "Demand (people)"),
    "col.services_in": ("Services en personne", "In-person services"),
    "col.services_itinerant": ("Services itinérants", "Itinerant services"),
    "col.services_virtual": ("Services virtuels", "Virtual services"),
    "col.services_serving": ("Services desservant la zone", "Services serving the area"),
    "col.access_e2sfca_per_10k": (
        "Accès E2SFCA (pour 10 000 de la demande)",
        "E2SFCA access (per 10,000 of the demand)",
    ),
    "col.access_2sfca_per_10k": ("Accès 2SFCA (pour 10 000 de la demande)", "2SFCA access (per 10,000 of the demand)"),
    "col.nearest_km": ("Service le plus proche (km)", "Nearest service (km)"),
    "col.needs_reported": ("Besoins déclarés", "Needs reported"),
    "col.needs_unmet": ("Besoins non comblés", "Unmet needs"),
    "col.needs_partly_met": ("Besoins partiellement comblés", "Needs partly met"),
    "col.need_score": ("Score des besoins", "Need score"),
    "col.gap_index": ("Indice de lacune", "Gap index"),
    "col.gap_class": ("Classe de lacune", "Gap class"),
    "col.org_name": ("Organisme", "Organisation"),
    "col.org_id": ("Code de l'organisme", "Organisation code"),
    "col.service_name": ("Service", "Service"),
    "col.service_code": ("Code du service", "Service code"),
    "col.site_name": ("Lieu", "Site"),
    "col.site_code": ("Code du lieu", "Site code"),
    "col.municipality": ("Municipalité", "Municipality"),
    "col.region": ("Région", "Region"),
    "col.language": ("Langue de service", "Language of service"),
    "col.mode": ("Mode", "Mode"),
    "col.french": ("En français", "In French"),
    "col.capacity": ("Capacité", "Capacity"),
    "col.precision": ("Précision du lieu", "Site precision"),
    "col.stage": ("Étape du continuum", "Continuum stage"),
    "col.description": ("Description", "Description"),
    "col.profile": ("Profil", "Profile"),
    "col.clients_published": ("Clients (publiés, arrondis)", "Clients (published, rounded)"),
    "col.comments": ("Commentaires", "Comments"),
    "col.csd": ("Code de municipalité", "Municipality code"),
    "col.ct": ("Secteur de recensement", "Census tract"),
    # --- command line ------------------------------------------------------------------
    "cli.label.region": ("Région", "Region"),
    "cli.label.municipality": ("Municipalité", "Municipality"),
    "cli.label.population": ("Population 2021", "Population 2021"),
    "cli.label.source": ("Source", "Source"),
    "cli.label.fidelity": ("Fidélité", "Fidelity"),
    "cli.label.vintage": ("Millésime", "Vintage"),
    "cli.label.precision": ("Précision", "Precision"),
    "cli.label.total": ("Total", "Total"),
    "cli.label.file": ("Fichier / File", "File"),
    "cli.prompt.password": ("Mot de passe / Password:", "Password:"),
    "cli.prompt.again": ("Encore une fois / Again:", "Again:"),
    "compile.all_profiles": ("Tous les profils", "All profiles"),
    "compile.all_categories": ("Toutes les catégories", "All categories"),
    "col.version": ("Version", "Version"),
    "cli.error.no_validated": (
        "Aucune réponse validée pour l'organisme « {org} » : téléchargez le gabarit vierge.",
        "No validated answers for organisation '{org}': download the blank template.",
    ),
    "cli.template_written": ("Gabarit écrit : {path}", "Template written: {path}"),
    "cli.demo_loaded": (
        "Données fictives de démonstration chargées : {count} organismes, cycle(s) {cycle}.",
        "Fictitious demonstration data loaded: {count} organisations, cycle(s) {cycle}.",
    ),
    "cli.demo_present": (
        "Les données fictives (cycle(s) {cycle}) sont déjà chargées.",
        "The demo data (cycle(s) {cycle}) are already loaded.",
    ),
    "cli.error.unexpected": (
        "Erreur inattendue : {detail}. Rien n'a été modifié. Signalez-la à la coordination.",
        "Unexpected error: {detail}. Nothing was changed. Report it to the coordinator.",
    ),
}


def _merge_topics() -> None:
    """Add the topic files of :mod:`cartography.catalogue`; a key defined twice is a bug."""
    import importlib

    from cartography.catalogue import TOPICS

    for topic in TOPICS:
        extra: dict[str, tuple[str, str]] = importlib.import_module(f"cartography.catalogue.{topic}").MESSAGES
        clash = sorted(set(extra) & set(MESSAGES))
        if clash:
            raise RuntimeError(f"message keys defined twice ({topic}): {clash}")
        MESSAGES.update(extra)


_merge_topics()


def t(key: str, lang: Lang = "fr", /, **fields: object) -> str:
    """Return the message ``key`` in ``lang``, formatted with ``fields``.

    French texts get French typography (no-break spaces before ``: ; ! ?`` and inside « »,
    :func:`cartography.typography.french`) before the fields are filled in, so what a member
    typed is never rewritten.
    """
    fr, en = MESSAGES[key]
    text = french(fr) if lang == "fr" else en
    return text.format(**fields) if fields else text


def both(key: str, /, **fields: object) -> str:
    """Return the French message with the English one beside it (command line, workbooks)."""
    return f"{t(key, 'fr', **fields)}\n  [EN] {t(key, 'en', **fields)}"


def demo_label() -> str:
    """The demonstration label, French then English on one line ("… / …").

    Every output made from fictitious data says so in both languages: the ``label`` of a
    compiled cycle's, a comparison's or a plan's metadata, and the command line's notice.
    """
    return f"{t('demo.label', 'fr')} / {t('demo.label', 'en')}"
