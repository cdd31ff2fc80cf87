"""Messages: demand (French first, English beside).

What the demand of a gap map is ("habitants" or an imported census characteristic), where
each area's figure comes from (``demand_source``), reserves without a count, the distance CRS.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # What the demand is, in the words of legends, tooltips and slides.
    "demand.name.pop_2021": ("Population 2021", "2021 population"),
    "demand.people.pop_2021": ("habitants", "residents"),
    "demand.people.fols_french": (
        "personnes de première langue officielle parlée français",
        "people whose first official language spoken is French",
    ),
    "demand.people.fols_english_french": (
        "personnes de premières langues officielles parlées français et anglais",
        "people whose first official languages spoken are English and French",
    ),
    "demand.people.mother_tongue_french": (
        "personnes de langue maternelle française",
        "people whose mother tongue is French",
    ),
    "demand.people.knowledge_english_french": (
        "personnes connaissant le français et l'anglais",
        "people who know English and French",
    ),
    "demand.people.immigrants": ("personnes immigrantes", "immigrants"),
    "demand.people.recent_immigrants": (
        "personnes immigrantes récentes (2016 à 2021)",
        "recent immigrants (2016 to 2021)",
    ),
    "demand.people.other": ("personnes ({name})", "people ({name})"),
    "demand.per_10k": ("pour 10 000 {people}", "per 10,000 {people}"),
    "demand.field.pop_2021": ("Population 2021 (demande)", "2021 population (demand)"),
    "demand.field": ("Demande : {name}", "Demand: {name}"),
    "demand.field.access": ("Services {per} (E2SFCA)", "Services {per} (E2SFCA)"),
    "demand.indicator.access_e2sfca_per_10k": (
        "Accessibilité E2SFCA (services {per})",
        "E2SFCA accessibility (services {per})",
    ),
    "demand.indicator.access_2sfca_per_10k": (
        "Accessibilité 2SFCA (services {per})",
        "2SFCA accessibility (services {per})",
    ),
    "demand.not_enumerated": ("non dénombrée", "not enumerated"),
    # Where each figure comes from (values of the demand_source column).
    "demand.source.census_da": ("recensement 2021 par aire de diffusion", "2021 Census by dissemination area"),
    "demand.source.census_ct": ("recensement 2021 par secteur de recensement", "2021 Census by census tract"),
    "demand.source.census_csd": ("recensement 2021 par municipalité", "2021 Census by municipality"),
    "demand.source.apportioned_area": (
        "réparti selon la superficie (aucun compte plus fin)",
        "apportioned by area (no finer count)",
    ),
    "demand.legend": ("Demande : {name} — {sources}", "Demand: {name} — {sources}"),
    "demand.legend.unenumerated": (
        "{names} : non dénombrées au recensement 2021 (population inconnue, pas zéro)",
        "{names}: not enumerated in the 2021 Census (population unknown, not zero)",
    ),
    "demand.note.unenumerated": (
        "Non dénombrée au recensement 2021 : population inconnue (pas un zéro) ; indicateurs calculés "
        "pour le lieu, sans sa propre demande",
        "Not enumerated in the 2021 Census: population unknown (not zero); indicators computed for the "
        "place, without its own demand",
    ),
    "demand.note.no_count": (
        "Aucun compte pour cette zone dans la caractéristique importée (supprimé ou absent) : demande "
        "inconnue (pas un zéro) ; indicateurs calculés pour le lieu, sans sa propre demande",
        "No count for this area in the imported characteristic (suppressed or missing): demand unknown "
        "(not zero); indicators computed for the place, without its own demand",
    ),
    "demand.legend.no_count": (
        "{names} : aucun compte importé (demande inconnue, pas zéro)",
        "{names}: no imported count (demand unknown, not zero)",
    ),
    "demand.note.excludes_no_count": (
        "Exclut, faute de compte : {names}",
        "Excludes, no count: {names}",
    ),
    "demand.note.excludes": (
        "Exclut, faute de dénombrement : {names}",
        "Excludes, not enumerated: {names}",
    ),
    "demand.note.split_csd": (
        "Compte de la municipalité réparti selon la population 2021 des secteurs",
        "The municipality's count split in proportion to the tracts' 2021 population",
    ),
    "demand.note.split_area": (
        "Compte réparti selon la superficie (aucun compte plus fin)",
        "Count apportioned by land area (no finer count)",
    ),
    "demand.method": (
        "Demande : {name} ({sources}). Distances et superficies mesurées au sol ({crs}).",
        "Demand: {name} ({sources}). Distances and areas measured on the ground ({crs}).",
    ),
    "demand.crs_info": (
        "Couches en {crs} ; distances et superficies mesurées en {distance_crs}",
        "Layers in {crs}; distances and areas measured in {distance_crs}",
    ),
    # Sums that cannot be published.
    "demand.error.count_overflow": (
        "Le total de « {cell} » ({total}) dépasse {limit} : un compte est invraisemblable ; corrigez la "
        "soumission en cause avant de compiler.",
        "The total of '{cell}' ({total}) exceeds {limit}: a count is implausible; correct the submission "
        "concerned before compiling.",
    ),
    "demand.error.bad_demand": (
        "Demande importée illisible : colonnes attendues level, geo_id, value (reçu : {columns}).",
        "Imported demand unreadable: expected columns level, geo_id, value (got: {columns}).",
    ),
}
