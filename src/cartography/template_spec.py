"""The presentation template's layout: sheets and columns, shared by writer and validator.

One description drives both the workbook a member fills and the checks run on it, so a
column cannot be added to one and forgotten in the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from cartography.model import (
    ADDRESS_LENGTH,
    CODE_LENGTH,
    EMAIL_LENGTH,
    MAX_COUNT,
    MAX_TEXT,
    NAME_LENGTH,
    PHONE_LENGTH,
    SERVICE_STATUSES,
    WEBSITE_LENGTH,
)
from cartography.typography import french
from cartography.vocabulary import (
    CLIENT_PROFILES,
    NEED_STATUSES,
    ORGANISATION_TYPES,
    SERVICE_CATEGORIES,
    SERVICE_LANGUAGES,
    SERVICE_MODES,
    SEVERITIES,
    Vocabulary,
)

#: Marker in column A of the example row; such rows are never read as data.
EXAMPLE_MARKER = "EXEMPLE"
HEADER_ROW = 1
HELP_ROW = 2
EXAMPLE_ROW = 3
FIRST_DATA_ROW = 4
#: Largest workbook accepted (bytes): a filled template is a few dozen kilobytes.
MAX_BYTES = 5 * 1024 * 1024
#: Most data rows read per sheet.
MAX_ROWS = 2000


@dataclass(frozen=True)
class Column:
    """One column of a data sheet (or one field of the organisation sheet).

    ``kind`` tells the validator how to read the cell: ``text``, ``int``, ``float``,
    ``postal``, ``email``, ``municipality``, ``area`` (municipality or region),
    ``areas`` (several, separated by ";"), ``site`` (a site code of the Sites sheet),
    or ``vocab`` with ``vocabulary`` set.

    ``max_length`` bounds the text as typed (the store's column size for stored text);
    ``max_value`` bounds whole numbers. The validator checks both, with a located message,
    so that what it accepts is always storable.
    """

    key: str
    title_fr: str
    help_en: str
    kind: str = "text"
    required: bool = False
    vocabulary: Vocabulary | None = None
    width: int = 18
    example: object = ""
    max_length: int = MAX_TEXT
    max_value: int = MAX_COUNT
    help_fr: str = ""
    #: Added after workbooks were already in use: a data sheet whose header stops before this
    #: column is still read, and the column is taken as blank (its default).
    added: bool = False

    @property
    def title(self) -> str:
        return f"{self.title_fr} *" if self.required else self.title_fr

    @property
    def help(self) -> str:
        """The help shown in the workbook: French first (French typography), English beside."""
        return f"{french(self.help_fr)}\n[EN] {self.help_en}" if self.help_fr else self.help_en


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    help_en: str
    columns: tuple[Column, ...]
    help_fr: str = ""

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


_NO = Column(
    "line",
    "N°",
    "Line number (optional). The example row says EXEMPLE here.",
    width=16,
    example=EXAMPLE_MARKER,
)

ORGANISATION = Sheet(
    "organisation",
    "Organisme",
    "Your organisation (one value per line, column B)",
    (
        Column(
            "org_id",
            "Code de l'organisme",
            "Short code given by the coordinator (e.g. ccfl)",
            required=True,
            example="ccfl",
            max_length=CODE_LENGTH,
        ),
        Column(
            "name",
            "Nom de l'organisme",
            "Organisation name",
            required=True,
            example="Carrefour communautaire francophone de London",
            max_length=NAME_LENGTH,
        ),
        Column(
            "org_type",
            "Type d'organisme",
            "Type of organisation",
            kind="vocab",
            vocabulary=ORGANISATION_TYPES,
            required=True,
        ),
        Column("contact_name", "Personne-ressource", "Contact person", required=True, max_length=NAME_LENGTH),
        Column("email", "Courriel", "Email", kind="email", required=True, max_length=EMAIL_LENGTH),
        Column("phone", "Téléphone", "Phone", max_length=PHONE_LENGTH),
        Column("website", "Site Web", "Website", max_length=WEBSITE_LENGTH),
        Column(
            "description",
            "Description de l'organisme",
            "What your organisation does, in a few sentences (published in the open directory export)",
            added=True,
        ),
    ),
    help_fr="Votre organisme (une valeur par ligne, colonne B)",
)

SITES = Sheet(
    "sites",
    "Lieux",
    "Places where you offer services (one row per site)",
    (
        _NO,
        Column(
            "site_code",
            "Code du lieu",
            "Your short code for the site (e.g. S1), used in Services",
            required=True,
            width=14,
            example="S1",
            max_length=CODE_LENGTH,
        ),
        Column(
            "name",
            "Nom du lieu",
            "Site name",
            required=True,
            width=34,
            example="Bureau principal",
            max_length=NAME_LENGTH,
        ),
        Column("address", "Adresse", "Street address", width=30, example="920, rue Huron", max_length=ADDRESS_LENGTH),
        Column(
            "municipality",
            "Municipalité",
            "Municipality (drop-down)",
            kind="municipality",
            required=True,
            width=26,
            example="London",
        ),
        Column("postal_code", "Code postal", "Postal code, A1A 1A1", kind="postal", width=13, example="N5Y 4K4"),
        Column("latitude", "Latitude", "Latitude in decimal degrees (optional)", kind="float", width=12),
        Column("longitude", "Longitude", "Longitude in decimal degrees (optional)", kind="float", width=12),
    ),
    help_fr="Les lieux où vous offrez des services (une ligne par lieu)",
)

SERVICES = Sheet(
    "services",
    "Services",
    "Services you offer (one row per service and site)",
    (
        _NO,
        Column(
            "service_code",
            "Code du service",
            "Your short code for the service (e.g. SV1)",
            required=True,
            width=14,
            example="SV1",
            max_length=CODE_LENGTH,
        ),
        Column(
            "name",
            "Nom du service",
            "Service name",
            required=True,
            width=34,
            example="Aide à l'établissement",
            max_length=NAME_LENGTH,
        ),
        Column(
            "category",
            "Catégorie",
            "Service category (drop-down)",
            kind="vocab",
            vocabulary=SERVICE_CATEGORIES,
            required=True,
            width=40,
        ),
        Column(
            "site_code",
            "Code du lieu",
            "Site code from the Lieux sheet (optional for virtual)",
            kind="site",
            width=13,
            example="S1",
            max_length=CODE_LENGTH,
        ),
        Column(
            "language",
            "Langue de service",
            "Language of service (drop-down)",
            kind="vocab",
            vocabulary=SERVICE_LANGUAGES,
            required=True,
            width=34,
        ),
        Column(
            "mode",
            "Mode de prestation",
            "Mode of delivery (drop-down)",
            kind="vocab",
            vocabulary=SERVICE_MODES,
            required=True,
            width=30,
        ),
        Column(
            "areas_served",
            "Municipalités desservies",
            "Municipalities or regions served, separated by ';' (itinerant and virtual)",
            kind="areas",
            width=34,
            example="London; Middlesex Centre",
        ),
        Column(
            "capacity",
            "Capacité (clients par an)",
            "Capacity, clients per year (whole number)",
            kind="int",
            width=14,
            example=120,
        ),
        Column("description", "Description", "Short description", width=40),
        Column(
            "status",
            "Statut du service",
            "Service status (drop-down; blank = active)",
            kind="vocab",
            vocabulary=SERVICE_STATUSES,
            width=22,
            added=True,
        ),
    ),
    help_fr="Les services que vous offrez (une ligne par service et par lieu)",
)

CLIENTS = Sheet(
    "clients",
    "Clients",
    "Francophone immigrant clients served this cycle, by municipality of residence and profile",
    (
        _NO,
        Column(
            "municipality",
            "Municipalité de résidence",
            "Municipality where clients live",
            kind="municipality",
            required=True,
            width=28,
            example="London",
        ),
        Column(
            "profile",
            "Profil",
            "Client profile (drop-down)",
            kind="vocab",
            vocabulary=CLIENT_PROFILES,
            required=True,
            width=36,
        ),
        Column(
            "count",
            "Nombre de clients",
            "Number of clients (whole number, 0 or more)",
            kind="int",
            required=True,
            width=14,
            example=25,
        ),
        Column(
            "category",
            "Catégorie de service",
            "Service category (optional)",
            kind="vocab",
            vocabulary=SERVICE_CATEGORIES,
            width=40,
        ),
    ),
    help_fr="Les clients immigrants francophones servis pendant le cycle, par municipalité de résidence et profil",
)

NEEDS = Sheet(
    "needs",
    "Besoins",
    "Needs of your clients, met or not",
    (
        _NO,
        Column(
            "category",
            "Catégorie",
            "Service category of the need (drop-down)",
            kind="vocab",
            vocabulary=SERVICE_CATEGORIES,
            required=True,
            width=40,
        ),
        Column(
            "area",
            "Municipalité ou région",
            "Municipality, or region (London, Middlesex, Elgin, Oxford)",
            kind="area",
            required=True,
            width=28,
            example="Central Elgin",
        ),
        Column(
            "clients",
            "Clients concernés",
            "Number of clients concerned (whole number)",
            kind="int",
            required=True,
            width=14,
            example=12,
        ),
        Column(
            "severity",
            "Gravité",
            "Severity (drop-down)",
            kind="vocab",
            vocabulary=SEVERITIES,
            required=True,
            width=14,
        ),
        Column(
            "status",
            "État",
            "Status: met, partly met, unmet (drop-down)",
            kind="vocab",
            vocabulary=NEED_STATUSES,
            required=True,
            width=22,
        ),
        Column("comment", "Commentaire", "Free comment", width=50, example="Aucun service de garde en français"),
    ),
    help_fr="Les besoins de vos clients, comblés ou non",
)

DATA_SHEETS: tuple[Sheet, ...] = (SITES, SERVICES, CLIENTS, NEEDS)
INSTRUCTIONS_TITLE = "Instructions"
LISTS_TITLE = "Listes"
ALL_TITLES: tuple[str, ...] = (
    INSTRUCTIONS_TITLE,
    ORGANISATION.title,
    *(s.title for s in DATA_SHEETS),
    LISTS_TITLE,
)


def _examples() -> None:
    """Fill vocabulary examples from the lists so they are always valid labels."""
    defaults = {
        ("organisation", "org_type"): ORGANISATION_TYPES.terms[0].fr,
        ("services", "category"): SERVICE_CATEGORIES.get("information_orientation").fr,
        ("services", "language"): SERVICE_LANGUAGES.get("fr_active").fr,
        ("services", "mode"): SERVICE_MODES.get("in_person").fr,
        ("clients", "profile"): CLIENT_PROFILES.get("permanent_resident").fr,
        ("clients", "category"): SERVICE_CATEGORIES.get("employment").fr,
        ("needs", "category"): SERVICE_CATEGORIES.get("early_childhood").fr,
        ("needs", "severity"): SEVERITIES.get("high").fr,
        ("needs", "status"): NEED_STATUSES.get("unmet").fr,
    }
    for (sheet_key, column_key), value in defaults.items():
        sheet = next(s for s in (ORGANISATION, *DATA_SHEETS) if s.key == sheet_key)
        object.__setattr__(sheet.column(column_key), "example", value)


_examples()

#: French help of every column, shown first in the workbook's help cells (English beside).
_HELP_FR: dict[tuple[str, str], str] = {
    ("organisation", "org_id"): "Code court donné par la coordination (p. ex. ccfl)",
    ("organisation", "name"): "Nom de l'organisme",
    ("organisation", "org_type"): "Type d'organisme (menu déroulant)",
    ("organisation", "contact_name"): "Personne-ressource",
    ("organisation", "email"): "Courriel",
    ("organisation", "phone"): "Téléphone",
    ("organisation", "website"): "Site Web",
    ("organisation", "description"): "Ce que fait votre organisme (publié dans le répertoire ouvert)",
    ("*", "line"): "N° de ligne (facultatif) ; EXEMPLE à la ligne d'exemple",
    ("sites", "site_code"): "Votre code court du lieu (p. ex. S1), repris dans Services",
    ("sites", "name"): "Nom du lieu",
    ("sites", "address"): "Adresse municipale",
    ("sites", "municipality"): "Municipalité (menu déroulant)",
    ("sites", "postal_code"): "Code postal, A1A 1A1",
    ("sites", "latitude"): "Latitude en degrés décimaux (facultatif)",
    ("sites", "longitude"): "Longitude en degrés décimaux (facultatif)",
    ("services", "service_code"): "Votre code court du service (p. ex. SV1)",
    ("services", "name"): "Nom du service",
    ("services", "category"): "Catégorie de service (menu déroulant)",
    ("services", "site_code"): "Code du lieu de la feuille Lieux (facultatif pour le virtuel)",
    ("services", "language"): "Langue de service (menu déroulant)",
    ("services", "mode"): "Mode de prestation (menu déroulant)",
    ("services", "areas_served"): "Municipalités ou régions desservies, séparées par « ; » (itinérant et virtuel)",
    ("services", "capacity"): "Capacité, clients par an (nombre entier)",
    ("services", "description"): "Brève description",
    ("services", "status"): "Statut du service (menu déroulant ; vide = actif)",
    ("clients", "municipality"): "Municipalité où vivent les clients",
    ("clients", "profile"): "Profil des clients (menu déroulant)",
    ("clients", "count"): "Nombre de clients (nombre entier, 0 ou plus)",
    ("clients", "category"): "Catégorie de service (facultatif)",
    ("needs", "category"): "Catégorie de service du besoin (menu déroulant)",
    ("needs", "area"): "Municipalité, ou région (London, Middlesex, Elgin, Oxford)",
    ("needs", "clients"): "Nombre de clients concernés (nombre entier)",
    ("needs", "severity"): "Gravité (menu déroulant)",
    ("needs", "status"): "État : comblé, partiellement comblé, non comblé (menu déroulant)",
    ("needs", "comment"): "Commentaire libre",
}


def _french_help() -> None:
    """Give every column its French help (kept in one table so a translator reads it at once)."""
    for sheet in (ORGANISATION, *DATA_SHEETS):
        for col in sheet.columns:
            text = _HELP_FR.get((sheet.key, col.key)) or _HELP_FR[("*", col.key)]
            object.__setattr__(col, "help_fr", text)


_french_help()
