"""Messages: exported files (French first, English beside).

Titles and descriptions of every layer and field of the GeoPackage, CSV, GeoJSON and Excel
exports: they become the GeoPackage metadata (``gpkg_contents``, ``gpkg_data_columns``), the
QGIS field aliases, the French header row of CSV files for Excel and the ``datapackage.json``
titles, so a QGIS or Excel user reads the same words as the app.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # -- layers -------------------------------------------------------------------------------
    "exports.layer.service_points": ("Points de service", "Service points"),
    "exports.layer.service_points.help": (
        "Un point par service offert à un site (organisme, catégorie, langue, mode), données "
        "déclarées par les membres.",
        "One point per service offered at a site (organisation, category, language, mode), as reported by members.",
    ),
    "exports.layer.service_areas": ("Territoires desservis", "Service areas"),
    "exports.layer.service_areas.help": (
        "Territoire de chaque service : union des municipalités qu'il dessert (codes SDR dans csd, séparés par « ; »).",
        "Territory of each service: union of the municipalities it serves (CSD codes in csd, separated by “; ”).",
    ),
    "exports.layer.clients_by_area": ("Clients par municipalité", "Clients by municipality"),
    "exports.layer.clients_by_area.help": (
        "Clients immigrants francophones servis, par municipalité et profil ; comptes protégés "
        "(1 à 4 supprimés, autres arrondis au multiple de 5).",
        "Francophone immigrant clients served, by municipality and profile; protected counts "
        "(1 to 4 suppressed, others rounded to base 5).",
    ),
    "exports.layer.needs_by_area": ("Besoins signalés par zone", "Needs reported by area"),
    "exports.layer.needs_by_area.help": (
        "Besoins déclarés par les membres (pas une prévalence), par zone et catégorie.",
        "Needs members reported (not prevalence), by area and category.",
    ),
    "exports.layer.gaps": ("Lacunes par {level}", "Gaps by {level}"),
    "exports.layer.gaps.help": (
        "Une entité par {level} avec ses indicateurs pour « {category} » ; s'ouvre comme carte, "
        "colorée par classe de lacune.",
        "One feature per {level} with its indicators for “{category}”; opens as a map, coloured by gap class.",
    ),
    "exports.layer.gaps_categories": ("Lacunes par {level} et catégorie", "Gaps by {level} and category"),
    "exports.layer.gaps_categories.help": (
        "Table sans géométrie : une ligne par {level} et catégorie de service, jointe à la "
        "couche « gaps_{code} » par area_id.",
        "Table without geometry: one row per {level} and service category, joined to layer “gaps_{code}” by area_id.",
    ),
    "exports.layer.metadata": ("Métadonnées", "Metadata"),
    "exports.layer.metadata.help": (
        "Cycle, date, sources, paramètres de la méthode, filtres de l'export, attribution.",
        "Cycle, date, sources, method parameters, export filters, attribution.",
    ),
    "exports.layer.layer_styles": ("Styles QGIS", "QGIS styles"),
    "exports.level.region": ("région", "region"),
    "exports.level.csd": ("municipalité", "municipality"),
    "exports.level.ct": ("secteur de recensement", "census tract"),
    "exports.all_categories": ("toutes catégories", "all categories"),
    "exports.legend.title": ("Classe de lacune", "Gap class"),
    "exports.filters.none": ("aucun (tout le cycle)", "none (whole cycle)"),
    "exports.licence": (
        "Données compilées : © CLIF de London et comtés environnants ; géographie adaptée de "
        "Statistique Canada (Licence du gouvernement ouvert – Canada).",
        "Compiled data: © CLIF de London and surrounding counties; geography adapted from "
        "Statistics Canada (Open Government Licence – Canada).",
    ),
    "exports.several_files": (
        "Plusieurs tables : archive ZIP écrite sous {path} (choisissez --layer pour un seul fichier).",
        "Several tables: ZIP archive written as {path} (choose --layer for a single file).",
    ),
    "exports.error.layer": (
        "Couche inconnue : {layer}. Couches possibles : {layers}.",
        "Unknown layer: {layer}. Possible layers: {layers}.",
    ),
    "exports.error.filter": (
        "Filtre inconnu : {value}. Valeurs possibles : {values}.",
        "Unknown filter: {value}. Possible values: {values}.",
    ),
    "exports.error.folder": (
        "{path} est un dossier : donnez un nom de fichier (p. ex. lacunes.gpkg).",
        "{path} is a folder: give a file name (e.g. gaps.gpkg).",
    ),
    # -- fields: title and description ----------------------------------------------------
    "exports.field.level": ("Niveau", "Level"),
    "exports.field.level.help": ("Niveau géographique : region, csd ou ct.", "Geographic level: region, csd or ct."),
    "exports.field.area_id": ("Code de la zone", "Area code"),
    "exports.field.area_id.help": (
        "Code officiel (SDR, SR de Statistique Canada) ou code de région ; texte, à ne pas convertir en nombre.",
        "Official code (Statistics Canada CSD, CT) or region code; text, not to be turned into a number.",
    ),
    "exports.field.name": ("Nom", "Name"),
    "exports.field.name.help": ("Nom de la zone.", "Name of the area."),
    "exports.field.category": ("Catégorie (code)", "Category (code)"),
    "exports.field.category.help": (
        "Code de la catégorie de service ; « all » = toutes catégories.",
        "Service category code; “all” = all categories.",
    ),
    "exports.field.category_fr": ("Catégorie", "Category (French)"),
    "exports.field.category_fr.help": ("Libellé français de la catégorie.", "French label of the category."),
    "exports.field.category_en": ("Catégorie (anglais)", "Category"),
    "exports.field.category_en.help": ("Libellé anglais de la catégorie.", "English label of the category."),
    "exports.field.demand": ("Demande", "Demand"),
    "exports.field.demand.help": (
        "Demande de la zone (population 2021 par défaut ; voir demand_key), en personnes.",
        "Demand of the area (2021 population by default; see demand_key), in people.",
    ),
    "exports.field.access_2sfca_per_10k": ("Accessibilité 2SFCA / 10 000", "2SFCA access / 10,000"),
    "exports.field.access_2sfca_per_10k.help": (
        "Services en français accessibles pour 10 000 personnes (2SFCA, rayon en mètres dans les métadonnées).",
        "French services within reach per 10,000 people (2SFCA, radius in metres in the metadata).",
    ),
    "exports.field.access_e2sfca_per_10k": ("Accessibilité E2SFCA / 10 000", "E2SFCA access / 10,000"),
    "exports.field.access_e2sfca_per_10k.help": (
        "Comme 2SFCA, avec décroissance par paliers de distance (E2SFCA).",
        "As 2SFCA, with stepwise distance decay (E2SFCA).",
    ),
    "exports.field.nearest_km": ("Distance au service le plus proche (km)", "Distance to nearest service (km)"),
    "exports.field.nearest_km.help": (
        "Distance pondérée par la population au service en personne en français le plus proche, en kilomètres.",
        "Population-weighted distance to the nearest in-person French service, in kilometres.",
    ),
    "exports.field.services_in": ("Services dans la zone", "Services in the area"),
    "exports.field.services_in.help": (
        "Nombre de services en personne en français situés dans la zone (entier).",
        "Number of in-person French services located in the area (integer).",
    ),
    "exports.field.services_itinerant": ("Services itinérants", "Itinerant services"),
    "exports.field.services_itinerant.help": (
        "Services itinérants en français desservant la zone (entier).",
        "Itinerant French services serving the area (integer).",
    ),
    "exports.field.services_virtual": ("Services virtuels", "Virtual services"),
    "exports.field.services_virtual.help": (
        "Services virtuels en français desservant la zone (entier).",
        "Virtual French services serving the area (integer).",
    ),
    "exports.field.services_serving": ("Services desservant la zone", "Services serving the area"),
    "exports.field.services_serving.help": (
        "Services en français dont le territoire comprend la zone (entier).",
        "French services whose service area includes the area (integer).",
    ),
    "exports.field.needs_reported": ("Besoins signalés", "Needs reported"),
    "exports.field.needs_reported.help": (
        "Nombre de besoins déclarés par les membres (entier ; déclarations, pas prévalence).",
        "Number of needs members reported (integer; reports, not prevalence).",
    ),
    "exports.field.needs_unmet": ("Besoins non comblés", "Unmet needs"),
    "exports.field.needs_unmet.help": ("Besoins déclarés non comblés (entier).", "Needs reported as unmet (integer)."),
    "exports.field.needs_partly_met": ("Besoins partiellement comblés", "Needs partly met"),
    "exports.field.needs_partly_met.help": (
        "Besoins déclarés partiellement comblés (entier).",
        "Needs reported as partly met (integer).",
    ),
    "exports.field.needs_status_severity": (
        "Besoins {status}, gravité {severity}",
        "Needs {status}, {severity} severity",
    ),
    "exports.field.needs_status_severity.help": (
        "Nombre de besoins de ce statut et de cette gravité (entier).",
        "Number of needs of this status and severity (integer).",
    ),
    "exports.field.need_score": ("Score des besoins", "Need score"),
    "exports.field.need_score.help": (
        "Besoins pondérés par gravité et statut (poids dans les métadonnées).",
        "Needs weighted by severity and status (weights in the metadata).",
    ),
    "exports.field.reference_per_10k": ("Référence / 10 000", "Reference / 10,000"),
    "exports.field.reference_per_10k.help": (
        "Accessibilité de référence de la région pour juger une capacité faible.",
        "Reference accessibility of the region used to judge low capacity.",
    ),
    "exports.field.gap_index": ("Indice de lacune", "Gap index"),
    "exports.field.gap_index.help": (
        "Indice composite de 0 (couvert) à 1 (lacune forte) ; poids dans les métadonnées.",
        "Composite index from 0 (covered) to 1 (strong gap); weights in the metadata.",
    ),
    "exports.field.gap_class": ("Classe de lacune (code)", "Gap class (code)"),
    "exports.field.gap_class.help": (
        "no_service, far, low_capacity, unmet_need ou covered.",
        "no_service, far, low_capacity, unmet_need or covered.",
    ),
    "exports.field.gap_class_fr": ("Classe de lacune", "Gap class (French)"),
    "exports.field.gap_class_fr.help": ("Libellé français de la classe.", "French label of the class."),
    "exports.field.csd": ("Code de la municipalité (SDR)", "Municipality code (CSD)"),
    "exports.field.csd.help": (
        "CSDUID de Statistique Canada (texte, 7 chiffres).",
        "Statistics Canada CSDUID (text, 7 digits).",
    ),
    "exports.field.region": ("Région (code)", "Region (code)"),
    "exports.field.region.help": ("london, middlesex, elgin ou oxford.", "london, middlesex, elgin or oxford."),
    "exports.field.municipality": ("Municipalité", "Municipality"),
    "exports.field.municipality.help": ("Nom de la municipalité.", "Name of the municipality."),
    "exports.field.ct": ("Secteur de recensement", "Census tract"),
    "exports.field.ct.help": (
        "CTUID de Statistique Canada (texte, p. ex. 5550001.02).",
        "Statistics Canada CTUID (text, e.g. 5550001.02).",
    ),
    "exports.field.demand_source": ("Source de la demande", "Demand source"),
    "exports.field.demand_source.help": (
        "Niveau le plus fin ayant des comptes pour cette zone (census_ct, census_csd, area…).",
        "Finest level with counts for this area (census_ct, census_csd, area…).",
    ),
    "exports.field.demand_sources": ("Sources de la demande", "Demand sources"),
    "exports.field.demand_sources.help": (
        "Part de la demande venant de chaque source.",
        "Share of demand coming from each source.",
    ),
    "exports.field.demand_enumerated": ("Demande dénombrée", "Demand enumerated"),
    "exports.field.demand_enumerated.help": (
        "Faux si une partie de la zone n'a pas de compte (réserve non dénombrée).",
        "False when part of the area has no count (reserve not enumerated).",
    ),
    "exports.field.unenumerated_names": ("Zones non dénombrées", "Areas not enumerated"),
    "exports.field.unenumerated_names.help": ("Noms des zones sans compte.", "Names of the areas without a count."),
    "exports.field.demand_note": ("Note sur la demande", "Demand note (French)"),
    "exports.field.demand_note.help": ("Note en français sur la demande.", "French note on the demand."),
    "exports.field.demand_note_en": ("Note sur la demande (anglais)", "Demand note"),
    "exports.field.demand_note_en.help": ("Note en anglais sur la demande.", "English note on the demand."),
    "exports.field.demand_key": ("Demande (clé)", "Demand (key)"),
    "exports.field.demand_key.help": (
        "Ce que compte la demande (pop_2021 ou une caractéristique du recensement).",
        "What the demand counts (pop_2021 or a census characteristic).",
    ),
    "exports.field.org_id": ("Organisme (code)", "Organisation (code)"),
    "exports.field.org_id.help": ("Identifiant de l'organisme membre.", "Member organisation identifier."),
    "exports.field.org_name": ("Organisme", "Organisation"),
    "exports.field.org_name.help": ("Nom de l'organisme.", "Name of the organisation."),
    "exports.field.site_code": ("Site (code)", "Site (code)"),
    "exports.field.site_code.help": ("Code du site chez l'organisme.", "Site code within the organisation."),
    "exports.field.site_name": ("Site", "Site"),
    "exports.field.site_name.help": ("Nom du site.", "Name of the site."),
    "exports.field.service_code": ("Service (code)", "Service (code)"),
    "exports.field.service_code.help": ("Code du service chez l'organisme.", "Service code within the organisation."),
    "exports.field.service_name": ("Service", "Service"),
    "exports.field.service_name.help": ("Nom du service.", "Name of the service."),
    "exports.field.service_key": ("Service (clé)", "Service (key)"),
    "exports.field.service_key.help": ("Organisme et code du service.", "Organisation and service code."),
    "exports.field.stage": ("Étape du continuum (code)", "Continuum stage (code)"),
    "exports.field.stage.help": ("Étape du continuum de la catégorie.", "Continuum stage of the category."),
    "exports.field.language": ("Langue de service (code)", "Language of service (code)"),
    "exports.field.language.help": (
        "fr_active, fr_on_request, fr_interpretation ou en_only.",
        "fr_active, fr_on_request, fr_interpretation or en_only.",
    ),
    "exports.field.language_fr": ("Langue de service", "Language of service (French)"),
    "exports.field.language_fr.help": ("Libellé français de la langue de service.", "French label of the language."),
    "exports.field.french": ("Service en français", "Service in French"),
    "exports.field.french.help": (
        "Vrai pour l'offre active ou le français sur demande (seuls comptés comme service en français).",
        "True for active offer or French on request (the only ones counted as service in French).",
    ),
    "exports.field.mode": ("Mode (code)", "Mode (code)"),
    "exports.field.mode.help": ("in_person, virtual ou itinerant.", "in_person, virtual or itinerant."),
    "exports.field.mode_fr": ("Mode", "Mode (French)"),
    "exports.field.mode_fr.help": ("Libellé français du mode.", "French label of the mode."),
    "exports.field.capacity": ("Capacité", "Capacity"),
    "exports.field.capacity.help": (
        "Capacité déclarée (clients par an, entier ; vide si non déclarée).",
        "Reported capacity (clients per year, integer; empty when not reported).",
    ),
    "exports.field.precision": ("Précision du géocodage", "Geocoding precision"),
    "exports.field.precision.help": (
        "coordinates, postal_code, fsa, place ou municipality.",
        "coordinates, postal_code, fsa, place or municipality.",
    ),
    "exports.field.latitude": ("Latitude", "Latitude"),
    "exports.field.latitude.help": ("Latitude WGS 84, en degrés.", "WGS 84 latitude, in degrees."),
    "exports.field.longitude": ("Longitude", "Longitude"),
    "exports.field.longitude.help": ("Longitude WGS 84, en degrés.", "WGS 84 longitude, in degrees."),
    "exports.field.description": ("Description", "Description"),
    "exports.field.description.help": ("Description du service par le membre.", "Member's description of the service."),
    "exports.field.profile": ("Profil (code)", "Profile (code)"),
    "exports.field.profile.help": (
        "Statut d'immigration ; « all » = total publié de la municipalité.",
        "Immigration status; “all” = published total of the municipality.",
    ),
    "exports.field.profile_fr": ("Profil", "Profile (French)"),
    "exports.field.profile_fr.help": ("Libellé français du profil.", "French label of the profile."),
    "exports.field.clients_published": ("Clients (publiés)", "Clients (published)"),
    "exports.field.clients_published.help": (
        "Compte protégé : vide = supprimé (1 à 4), sinon arrondi aléatoirement au multiple de 5 (entier).",
        "Protected count: empty = suppressed (1 to 4), otherwise randomly rounded to base 5 (integer).",
    ),
    "exports.field.comments": ("Commentaires", "Comments"),
    "exports.field.comments.help": (
        "Commentaires des membres, séparés par « | ».",
        "Members' comments, separated by “|”.",
    ),
    "exports.field.key": ("Clé", "Key"),
    "exports.field.key.help": ("Nom du paramètre.", "Name of the parameter."),
    "exports.field.value": ("Valeur", "Value"),
    "exports.field.value.help": ("Valeur (texte ou JSON).", "Value (text or JSON)."),
    "exports.field.unknown.help": ("Champ {field}.", "Field {field}."),
}
