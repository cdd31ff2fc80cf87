"""Controlled, bilingual vocabularies with stable codes (DESIGN.md section 3).

Data store codes; screens, workbooks and slides show labels. The workbook, the validator,
the app and the reports all read these lists, so a new category is added here once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from cartography.i18n import Lang
from cartography.palette import GAP_CLASS_COLOURS


@dataclass(frozen=True)
class Term:
    """One item of a controlled list: a stable code and its French and English labels."""

    code: str
    fr: str
    en: str
    attrs: dict[str, str | int | bool] = field(default_factory=dict, compare=False)

    def label(self, lang: Lang = "fr") -> str:
        """The label in ``lang``."""
        return self.fr if lang == "fr" else self.en


def fold(text: str) -> str:
    """Fold a label for forgiving comparison: no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().replace("’", "'").split())


@dataclass(frozen=True)
class Vocabulary:
    """An ordered controlled list; looks terms up by code or by either label."""

    name: str
    fr: str
    en: str
    terms: tuple[Term, ...]

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, code: object) -> bool:
        # A set, not a scan: the model checks every stored code against its list on reading.
        return isinstance(code, str) and code in self._code_set

    @cached_property
    def _code_set(self) -> frozenset[str]:
        return frozenset(term.code for term in self.terms)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(term.code for term in self.terms)

    def get(self, code: str) -> Term:
        """The term with ``code``; ``KeyError`` if none."""
        for term in self.terms:
            if term.code == code:
                return term
        raise KeyError(f"{self.name}: unknown code {code!r}")

    def label(self, code: str, lang: Lang = "fr") -> str:
        return self.get(code).label(lang)

    def labels(self, lang: Lang = "fr") -> list[str]:
        return [term.label(lang) for term in self.terms]

    def match(self, text: object) -> Term | None:
        """Find the term a member meant: its code, French label or English label.

        Comparison ignores case, accents and spacing because members type these by hand
        as often as they pick them from the drop-down.
        """
        if text is None:
            return None
        key = fold(str(text))
        if not key:
            return None
        for term in self.terms:
            if key in (fold(term.code), fold(term.fr), fold(term.en)):
                return term
        return None


def _vocab(name: str, fr: str, en: str, *terms: Term) -> Vocabulary:
    return Vocabulary(name, fr, en, terms)


REGIONS = _vocab(
    "region",
    "Région",
    "Region",
    Term("london", "London", "London", {"order": 1}),
    Term("middlesex", "Middlesex", "Middlesex", {"order": 2}),
    Term("elgin", "Elgin", "Elgin", {"order": 3}),
    Term("oxford", "Oxford", "Oxford", {"order": 4}),
)

CONTINUUM_STAGES = _vocab(
    "continuum_stage",
    "Étape du continuum",
    "Continuum stage",
    Term("promotion_recruitment", "Promotion et recrutement", "Promotion and recruitment"),
    Term("reception", "Accueil", "Reception"),
    Term("settlement", "Établissement", "Settlement"),
    Term("economic_integration", "Intégration économique", "Economic integration"),
    Term("sociocultural_integration", "Intégration socioculturelle", "Socio-cultural integration"),
    Term("inclusion_retention", "Inclusion et rétention", "Inclusion and retention"),
)

SERVICE_CATEGORIES = _vocab(
    "service_category",
    "Catégorie de service",
    "Service category",
    Term(
        "needs_assessment",
        "Évaluation des besoins et aiguillage",
        "Needs assessment and referral",
        {"stage": "settlement"},
    ),
    Term(
        "information_orientation",
        "Information et orientation",
        "Information and orientation",
        {"stage": "settlement"},
    ),
    Term("language_assessment", "Évaluation linguistique", "Language assessment", {"stage": "settlement"}),
    Term(
        "language_training",
        "Formation linguistique (FLS, ALS)",
        "Language training (FSL, ESL)",
        {"stage": "settlement"},
    ),
    Term(
        "employment",
        "Services liés à l'emploi",
        "Employment-related services",
        {"stage": "economic_integration"},
    ),
    Term(
        "community_connections",
        "Connexions communautaires",
        "Community connections",
        {"stage": "sociocultural_integration"},
    ),
    Term(
        "support_services",
        "Services de soutien (garde, transport, traduction, interprétation, crise)",
        "Support services (child care, transportation, translation, interpretation, crisis counselling)",
        {"stage": "settlement"},
    ),
    Term(
        "k12_education",
        "Éducation de langue française (maternelle à 12e)",
        "French-language K-12 education",
        {"stage": "inclusion_retention"},
    ),
    Term(
        "postsecondary",
        "Études postsecondaires et formation",
        "Post-secondary education and training",
        {"stage": "economic_integration"},
    ),
    Term(
        "entrepreneurship",
        "Entrepreneuriat et économie sociale",
        "Entrepreneurship and social economy",
        {"stage": "economic_integration"},
    ),
    Term("health", "Santé et mieux-être", "Health and well-being", {"stage": "inclusion_retention"}),
    Term("housing", "Logement", "Housing", {"stage": "settlement"}),
    Term("legal", "Services juridiques", "Legal services", {"stage": "settlement"}),
    Term("early_childhood", "Petite enfance", "Early childhood", {"stage": "inclusion_retention"}),
    Term(
        "promotion_recruitment",
        "Promotion et recrutement (y compris à l'international)",
        "Promotion and recruitment (incl. international)",
        {"stage": "promotion_recruitment"},
    ),
    Term(
        "reception",
        "Accueil (avant et à l'arrivée)",
        "Reception (pre-arrival and arrival)",
        {"stage": "reception"},
    ),
)

CLIENT_PROFILES = _vocab(
    "client_profile",
    "Profil de clientèle",
    "Client profile",
    Term("permanent_resident", "Résident permanent", "Permanent resident"),
    Term("resettled_refugee", "Réfugié réinstallé (RPG, RPSP, RDBV)", "Resettled refugee (GAR, PSR, BVOR)"),
    Term("protected_person", "Personne protégée ou demandeur d'asile", "Protected person or refugee claimant"),
    Term("international_student", "Étudiant étranger", "International student"),
    Term("temporary_worker", "Travailleur étranger temporaire", "Temporary foreign worker"),
    Term("naturalised_citizen", "Citoyen naturalisé", "Naturalised citizen"),
    Term("other_unknown", "Autre ou inconnu", "Other or unknown"),
)

SERVICE_LANGUAGES = _vocab(
    "service_language",
    "Langue de service",
    "Language of service",
    Term("fr_active", "En français, offre active", "In French, active offer", {"counts_as_french": True}),
    Term("fr_on_request", "En français sur demande", "French on request", {"counts_as_french": True}),
    Term(
        "fr_interpretation",
        "En français par interprétation seulement",
        "French through interpretation only",
        {"counts_as_french": False},
    ),
    Term("en_only", "En anglais seulement", "English only", {"counts_as_french": False}),
)

SERVICE_MODES = _vocab(
    "service_mode",
    "Mode de prestation",
    "Mode of delivery",
    Term("in_person", "En personne sur place", "In person at a site"),
    Term("virtual", "Virtuel", "Virtual"),
    Term("itinerant", "Itinérant (le personnel se déplace)", "Itinerant (staff travel)"),
)

SEVERITIES = _vocab(
    "severity",
    "Gravité",
    "Severity",
    Term("low", "Faible", "Low", {"weight": 1}),
    Term("medium", "Moyenne", "Medium", {"weight": 2}),
    Term("high", "Élevée", "High", {"weight": 3}),
    Term("critical", "Critique", "Critical", {"weight": 4}),
)

NEED_STATUSES = _vocab(
    "need_status",
    "État du besoin",
    "Need status",
    Term("met", "Comblé", "Met"),
    Term("partly_met", "Partiellement comblé", "Partly met"),
    Term("unmet", "Non comblé", "Unmet"),
)

SUBMISSION_STATUSES = _vocab(
    "submission_status",
    "État de la soumission",
    "Submission status",
    Term("draft", "Brouillon", "Draft"),
    Term("submitted", "Soumise", "Submitted"),
    Term("validated", "Validée", "Validated"),
    Term("superseded", "Remplacée", "Superseded"),
)

ORGANISATION_TYPES = _vocab(
    "organisation_type",
    "Type d'organisme",
    "Type of organisation",
    Term("community", "Organisme communautaire", "Community organisation"),
    Term("school_board", "Conseil scolaire", "School board"),
    Term("postsecondary", "Établissement postsecondaire", "Post-secondary institution"),
    Term("economic", "Développement économique", "Economic development"),
    Term("municipal", "Municipalité ou PLI", "Municipality or LIP"),
    Term("network", "Réseau", "Network"),
    Term("health", "Santé", "Health"),
    Term("individual", "Personne (membre à titre individuel)", "Individual member"),
    Term("other", "Autre", "Other"),
)

#: Colours come from the colour-blind-safe palette, so the deck, the app and QGIS styles agree.
GAP_CLASSES = _vocab(
    "gap_class",
    "Classe de lacune",
    "Gap class",
    Term(
        "no_service",
        "Aucun service en français à portée",
        "No French service within reach",
        {"order": 1, "colour": GAP_CLASS_COLOURS["no_service"]},
    ),
    Term("far", "Service éloigné", "Service far away", {"order": 2, "colour": GAP_CLASS_COLOURS["far"]}),
    Term(
        "low_capacity",
        "Capacité faible pour la demande",
        "Capacity low for demand",
        {"order": 3, "colour": GAP_CLASS_COLOURS["low_capacity"]},
    ),
    Term(
        "unmet_need",
        "Besoin non comblé signalé",
        "Unmet need reported",
        {"order": 4, "colour": GAP_CLASS_COLOURS["unmet_need"]},
    ),
    Term("covered", "Couvert", "Covered", {"order": 5, "colour": GAP_CLASS_COLOURS["covered"]}),
)

AREA_LEVELS = _vocab(
    "area_level",
    "Niveau géographique",
    "Geographic level",
    Term("region", "Région", "Region"),
    Term("csd", "Municipalité", "Municipality"),
    Term("ct", "Secteur de recensement (RMR de London)", "Census tract (London CMA)"),
)

ALL_VOCABULARIES: tuple[Vocabulary, ...] = (
    REGIONS,
    CONTINUUM_STAGES,
    SERVICE_CATEGORIES,
    CLIENT_PROFILES,
    SERVICE_LANGUAGES,
    SERVICE_MODES,
    SEVERITIES,
    NEED_STATUSES,
    SUBMISSION_STATUSES,
    ORGANISATION_TYPES,
)


def french_service_languages() -> frozenset[str]:
    """Codes that count as a service in French in gap metrics (not interpretation)."""
    return frozenset(t.code for t in SERVICE_LANGUAGES if t.attrs.get("counts_as_french"))


def stage_of(category: str) -> str:
    """Continuum stage code of a service category code."""
    return str(SERVICE_CATEGORIES.get(category).attrs["stage"])
