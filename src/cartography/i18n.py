"""The message catalogue: every word a user reads, French first, English beside.

Screens, workbooks, slides and command-line messages all take their text from here so that
the two languages never drift apart and a translator has one file to read. Keys are stable
and English; values are ``(français, english)`` pairs with ``str.format`` fields.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # --- application -------------------------------------------------------------------
    "app.title": ("Cartographie des services en français", "Map of French-language services"),
    "app.subtitle": (
        "Services offerts aux immigrants francophones et besoins de leurs clients — "
        "London, Middlesex, Elgin et Oxford",
        "Services offered to Francophone immigrants and their clients' needs — "
        "London, Middlesex, Elgin and Oxford",
    ),
    "nav.home": ("Accueil", "Home"),
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
        "Lieu inconnu : « {text} ». Ce n'est ni une municipalité ni une localité connue de "
        "la région (London, Middlesex, Elgin, Oxford). Vérifiez l'orthographe ou inscrivez "
        "le code postal.",
        "Unknown place: '{text}'. It is neither a municipality nor a known place of the "
        "region (London, Middlesex, Elgin, Oxford). Check the spelling or enter the postal "
        "code.",
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
        "Code postal mal formé : « {text} ». Forme attendue : A1A 1A1 (ou les trois "
        "premiers caractères, A1A).",
        "Malformed postal code: '{text}'. Expected form: A1A 1A1 (or the first three characters, A1A).",
    ),
    "geocode.error.coordinates": (
        "Coordonnées impossibles : « {text} ». Forme attendue : latitude, longitude en "
        "degrés décimaux (par exemple 42.98, -81.25).",
        "Impossible coordinates: '{text}'. Expected form: latitude, longitude in decimal "
        "degrees (for example 42.98, -81.25).",
    ),
    "geocode.note.uncertain": (
        "Municipalité incertaine : le point est à moins de {km} km de la limite de {others}. "
        "Vérifiez la municipalité.",
        "Uncertain municipality: the point is within {km} km of the boundary of {others}. "
        "Check the municipality.",
    ),
    "geocode.note.postal_full": (
        "Code postal complet placé au centre de sa région de tri d'acheminement ({fsa}).",
        "Full postal code placed at the centre of its forward sortation area ({fsa}).",
    ),
    "geocode.note.fsa_place": (
        "RTA rurale {fsa} précisée par la municipalité.",
        "Rural FSA {fsa} narrowed down by the municipality.",
    ),
    # --- command line ------------------------------------------------------------------
    "cli.label.region": ("Région", "Region"),
    "cli.label.municipality": ("Municipalité", "Municipality"),
    "cli.label.population": ("Population 2021", "Population 2021"),
    "cli.label.source": ("Source", "Source"),
    "cli.label.fidelity": ("Fidélité", "Fidelity"),
    "cli.label.vintage": ("Millésime", "Vintage"),
    "cli.label.precision": ("Précision", "Precision"),
    "cli.label.total": ("Total", "Total"),
    "cli.error.unexpected": (
        "Erreur inattendue : {detail}. Rien n'a été modifié. Signalez-la à la coordination.",
        "Unexpected error: {detail}. Nothing was changed. Report it to the coordinator.",
    ),
}


def t(key: str, lang: Lang = "fr", /, **fields: object) -> str:
    """Return the message ``key`` in ``lang``, formatted with ``fields``."""
    fr, en = MESSAGES[key]
    text = fr if lang == "fr" else en
    return text.format(**fields) if fields else text


def both(key: str, /, **fields: object) -> str:
    """Return the French message with the English one beside it (command line, workbooks)."""
    return f"{t(key, 'fr', **fields)}\n  [EN] {t(key, 'en', **fields)}"


class UserError(Exception):
    """An error the user caused and can fix; carries a catalogue key and its fields.

    The command line prints it in French with English beside it and exits non-zero; the app
    shows it in the chosen language. Nothing that raised it has changed any state.
    """

    def __init__(self, key: str, /, **fields: object) -> None:
        self.key = key
        self.fields = fields
        super().__init__(t(key, "fr", **fields))

    def message(self, lang: Lang = "fr") -> str:
        """The message in one language."""
        return t(self.key, lang, **self.fields)

    def bilingual(self) -> str:
        """The message in French with English beside it."""
        return both(self.key, **self.fields)
