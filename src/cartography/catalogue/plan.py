"""Messages: "Où ajouter un service ?" — site recommendation (French first, English beside).

The command line, the map page's panel and the table's deck say the same things with the
same words: what was asked (category, number of new sites, radius, demand), what the answer
is (or why it is empty), and how to read it.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # Titles and labels.
    "plan.title": ("Où ajouter un service ?", "Where to add a service?"),
    "plan.intro": (
        "Les services en français en personne existants de la catégorie restent ouverts ; l'outil choisit "
        "{k} nouveau(x) lieu(x) parmi les candidats (communautés du répertoire toponymique, centres des "
        "municipalités et des secteurs de recensement, lieux déjà utilisés par les membres) pour mettre à "
        "moins de {radius} km (à vol d'oiseau) la plus grande demande qui ne l'est pas encore.",
        "The existing French in-person services of the category stay open; the tool chooses {k} new "
        "site(s) among candidates (gazetteer communities, municipality and census tract centres, sites "
        "members already use) to bring within {radius} km (straight line) the most demand not yet within "
        "reach.",
    ),
    "plan.control.category": ("Catégorie de service", "Service category"),
    "plan.control.k": ("Nombre de nouveaux lieux", "Number of new sites"),
    "plan.control.radius": ("Rayon (km)", "Radius (km)"),
    "plan.control.run": ("Calculer les lieux recommandés", "Compute recommended sites"),
    "plan.download": ("Télécharger les couches (GeoPackage)", "Download the layers (GeoPackage)"),
    "plan.col.rank": ("Rang", "Rank"),
    "plan.col.name": ("Lieu", "Site"),
    "plan.col.kind": ("Type de lieu", "Kind of site"),
    "plan.col.municipality": ("Municipalité", "Municipality"),
    "plan.col.added": ("Demande ajoutée", "Demand added"),
    "plan.col.cumulative": ("Demande ajoutée (cumul)", "Demand added (cumulative)"),
    "plan.col.share": ("Part de la demande non couverte", "Share of uncovered demand"),
    "plan.kind.site": ("lieu d'un membre (co-implantation)", "member's site (co-location)"),
    "plan.kind.municipality": ("centre de municipalité", "municipality centre"),
    "plan.kind.community": ("communauté", "community"),
    "plan.kind.tract": ("centre de secteur de recensement", "census tract centre"),
    "plan.tract_name": ("Secteur de recensement {ct}", "Census tract {ct}"),
    "plan.legend.existing": ("Service existant", "Existing service"),
    "plan.legend.recommended": ("Lieu recommandé (rang)", "Recommended site (rank)"),
    "plan.legend.uncovered": ("Demande hors de portée", "Demand out of reach"),
    "plan.legend.newly": ("Demande nouvellement couverte", "Demand newly covered"),
    "plan.legend.covered": ("Demande déjà couverte", "Demand already covered"),
    "plan.tooltip.site": (
        "{rank}. {name} ({municipality}) : +{added} {people}",
        "{rank}. {name} ({municipality}): +{added} {people}",
    ),
    # The answer in words.
    "plan.summary": (
        "{category} : {before} {people} sur {total} ({before_share}) sont à moins de {radius} km d'un service "
        "existant. {n} nouveau(x) lieu(x) en mettraient {added} de plus à portée ({added_share} de la demande "
        "non couverte).",
        "{category}: {before} {people} of {total} ({before_share}) are within {radius} km of an existing "
        "service. {n} new site(s) would bring {added} more within reach ({added_share} of the uncovered "
        "demand).",
    ),
    "plan.line": (
        "{rank}. {name} ({municipality}) : +{added} {people} (cumul {cumulative}, {share} de la demande non couverte)",
        "{rank}. {name} ({municipality}): +{added} {people} (cumulative {cumulative}, {share} of the uncovered demand)",
    ),
    "plan.status.optimal": (
        "Solution optimale prouvée (écart d'optimalité 0).",
        "Proven optimal solution (optimality gap 0).",
    ),
    "plan.status.feasible": (
        "Le solveur s'est arrêté à sa limite de temps : bonne solution, optimalité non prouvée.",
        "The solver stopped at its time limit: a good solution, optimality not proven.",
    ),
    "plan.status.no_sites_requested": (
        "Aucun nouveau lieu demandé (K = 0) : rien à recommander.",
        "No new site requested (K = 0): nothing to recommend.",
    ),
    "plan.status.all_covered": (
        "Toute la demande est déjà à moins de {radius} km d'un service existant de cette catégorie : aucun "
        "nouveau lieu n'ajouterait de couverture.",
        "All the demand is already within {radius} km of an existing service of this category: no new site "
        "would add coverage.",
    ),
    "plan.status.out_of_reach": (
        "Aucun lieu candidat n'est à moins de {radius} km de la demande non couverte : aucun nouveau lieu "
        "n'ajouterait de couverture.",
        "No candidate site is within {radius} km of the uncovered demand: no new site would add coverage.",
    ),
    "plan.fewer": (
        "Seuls {n} lieu(x) ajoutent de la couverture ; au-delà, un lieu de plus n'ajouterait rien.",
        "Only {n} site(s) add coverage; beyond them, one more site would add nothing.",
    ),
    "plan.no_existing": (
        "Aucun service en français en personne de cette catégorie n'existe encore.",
        "No French in-person service of this category exists yet.",
    ),
    "plan.note": (
        "Couverture : distance à vol d'oiseau au sol ({crs}), limite incluse. Demande : {demand}. Ce calcul "
        "ne tient compte ni de la capacité, ni des besoins déclarés, ni des services itinérants ou virtuels.",
        "Coverage: straight-line ground distance ({crs}), boundary inclusive. Demand: {demand}. This "
        "calculation takes no account of capacity, reported needs, or itinerant and virtual services.",
    ),
    "plan.written": (
        "Plan écrit dans {path} : {n} lieu(x) recommandé(s) pour « {category} » (rayon {radius} km).",
        "Plan written to {path}: {n} recommended site(s) for '{category}' (radius {radius} km).",
    ),
    "plan.solver": ("Solveur : {solver} ; {seconds} s.", "Solver: {solver}; {seconds} s."),
    "plan.slide_title": ("Où ajouter un service ? {category}", "Where to add a service? {category}"),
    "plan.slide_subtitle": (
        "{k} nouveau(x) lieu(x), rayon {radius} km — couverture maximale (MCLP)",
        "{k} new site(s), radius {radius} km — maximal covering location (MCLP)",
    ),
    "plan.slide_method": (
        "Lieux choisis par PySAL spopt (MCLP, services existants fixés) et le solveur libre CBC ; classés "
        "selon ce que chacun ajoute.",
        "Sites chosen by PySAL spopt (MCLP, existing services fixed) and the open CBC solver; ranked by "
        "what each adds.",
    ),
    # Errors a user can fix.
    "plan.error.category": (
        "Catégorie inconnue : « {code} ». Codes possibles : {codes}.",
        "Unknown category: '{code}'. Possible codes: {codes}.",
    ),
    "plan.error.k": (
        "Le nombre de nouveaux lieux doit être un entier de 0 à {max} (reçu : {k}).",
        "The number of new sites must be a whole number from 0 to {max} (got: {k}).",
    ),
    "plan.error.radius": (
        "Le rayon doit être un nombre de kilomètres supérieur à 0 et au plus {max} (reçu : {radius}).",
        "The radius must be a number of kilometres above 0 and at most {max} (got: {radius}).",
    ),
    "plan.error.too_large": (
        "Trop de demande non couverte et de lieux candidats pour un calcul ici ({rows} groupes de demande × "
        "{columns} lieux ; limite {limit} cellules) : aucun résultat partiel n'est donné.",
        "Too much uncovered demand and too many candidate sites to compute here ({rows} demand groups × "
        "{columns} sites; limit {limit} cells): no partial result is given.",
    ),
    "plan.error.demand": (
        "La demande « {key} » ne correspond pas à celle de la compilation ({compiled}).",
        "Demand '{key}' does not match the compile's ({compiled}).",
    ),
}
