"""Messages: the gap map (its page in the app, its legend, its classes and explanations).

Explanations name the method's parameters ({radius}, {steps}, weights) so the line on the
page always says what the compile used.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- classes and values ----------------------------------------------------------------
    "mappage.no_data": ("Pas de données", "No data"),
    "mappage.no_in_person": ("Aucun service en personne", "No in-person service"),
    "mappage.no_need_reported": ("Aucun besoin déclaré", "No need reported"),
    "mappage.needs_not_compiled": (
        "Besoins non compilés à ce niveau (municipalités et régions seulement)",
        "Needs not compiled at this level (municipalities and regions only)",
    ),
    "mappage.needs_all_met": ("0 (besoins déclarés, tous comblés)", "0 (needs reported, all met)"),
    "mappage.needs_all_met_of": ("0 sur {n} déclaré(s) : tous comblés", "0 of {n} reported: all met"),
    "mappage.needs_unmet_of": ("{unmet} sur {n} déclaré(s)", "{unmet} of {n} reported"),
    "mappage.note.nothing": (
        "Aucune zone affichée n'a de valeur pour « {indicator} » : une seule teinte neutre, pas de classe.",
        "No area shown has a value for '{indicator}': one neutral shade, no classes.",
    ),
    "mappage.note.breaks": (
        "Classes par seuils naturels (Jenks) ; chaque classe inclut sa borne supérieure.",
        "Classes by natural breaks (Jenks); each class includes its upper bound.",
    ),
    # --- title and legend ------------------------------------------------------------------
    "mappage.title.all_categories": ("toutes catégories", "all categories"),
    "mappage.title.fallback": ("Carte des lacunes", "Gap map"),
    "mappage.legend": ("Légende", "Legend"),
    "mappage.legend.lines": ("Limites", "Boundaries"),
    "mappage.legend.county": ("Comté (région)", "County (region)"),
    "mappage.legend.border.region": ("Région", "Region"),
    "mappage.legend.border.csd": ("Municipalité", "Municipality"),
    "mappage.legend.border.ct": ("Secteur de recensement", "Census tract"),
    "mappage.legend.not_french": ("Service non offert en français", "Service not offered in French"),
    "mappage.legend.cluster": (
        "Plusieurs services au même endroit (nombre) : zoomer pour les séparer",
        "Several services in one place (count): zoom in to separate them",
    ),
    "mappage.legend.needs_size": (
        "{n} besoin(s) non comblé(s) déclaré(s) (taille du cercle)",
        "{n} unmet need(s) reported (circle size)",
    ),
    "mappage.legend.needs_five": ("5 besoins non comblés ou plus", "5 or more unmet needs"),
    "mappage.legend.needs_met": ("Besoins déclarés, tous comblés", "Needs reported, all met"),
    "mappage.layer.labels": ("Noms des lieux", "Place names"),
    "mappage.fullscreen": ("Plein écran", "Full screen"),
    # --- one line per indicator ----------------------------------------------------------------
    "mappage.explain.gap_class": (
        "La première situation qui s'applique à la zone : aucun service en français à {radius} km "
        "ni itinérant ou virtuel ; service en personne à plus de {far} km ; accès inférieur à "
        "{share} fois la moyenne régionale ; besoin non comblé déclaré ; sinon couvert.",
        "The first situation that applies to the area: no French service within {radius} km nor "
        "itinerant or virtual; in-person service more than {far} km away; access below {share} "
        "times the regional average; unmet need reported; otherwise covered.",
    ),
    "mappage.explain.gap_index": (
        "De 0 (aucune lacune) à 1 : {wa} × écart d'accès + {wd} × écart de distance (plus proche "
        "/ {radius} km) + {wn} × écart de besoins déclarés.",
        "From 0 (no gap) to 1: {wa} × access gap + {wd} × distance gap (nearest / {radius} km) "
        "+ {wn} × reported-needs gap.",
    ),
    "mappage.explain.access_e2sfca_per_10k": (
        "Services en français en personne accessibles pour 10 000 personnes, partagés entre "
        "toutes les personnes à moins de {radius} km, pondérés par la distance ({steps}).",
        "In-person French services reachable per 10,000 people, shared among everyone within "
        "{radius} km, weighted by distance ({steps}).",
    ),
    "mappage.explain.access_2sfca_per_10k": (
        "Services en français en personne accessibles pour 10 000 personnes, partagés entre "
        "toutes les personnes à moins de {radius} km (sans pondération par la distance).",
        "In-person French services reachable per 10,000 people, shared among everyone within "
        "{radius} km (no distance weighting).",
    ),
    "mappage.explain.nearest_km": (
        "Distance à vol d'oiseau au service en français en personne le plus proche : moyenne "
        "des lieux de la zone pondérée par leur demande (pas la distance depuis le centre).",
        "Straight-line distance to the nearest in-person French service: the average over the "
        "area's places weighted by their demand (not the distance from its centre).",
    ),
    "mappage.explain.services_serving": (
        "Nombre de services en français qui desservent la zone : en personne dans la zone, "
        "itinérants ou virtuels déclarés pour elle.",
        "Number of French services serving the area: in person in the area, itinerant or virtual declared for it.",
    ),
    "mappage.explain.needs_unmet": (
        "Besoins non comblés ou partiellement comblés déclarés par les membres (pas une mesure "
        "de prévalence) ; gris : aucun besoin déclaré.",
        "Unmet or partly met needs reported by members (not a measure of prevalence); grey: no need reported.",
    ),
    # --- the page ------------------------------------------------------------------------------
    "mappage.filters": ("Filtres de la carte", "Map filters"),
    "mappage.method": ("Méthode : {section}", "Method: {section}"),
    "mappage.method_where": (
        "Texte complet : docs/methodologie.md, section « {section} » (dossier du projet).",
        "Full text: docs/methodologie.md, section '{section}' (project folder).",
    ),
    "mappage.method_missing": (
        "Le document de méthode n'est pas installé avec l'application ; voir docs/methodologie.md "
        "dans le dossier du projet.",
        "The method document is not installed with the app; see docs/methodologie.md in the project folder.",
    ),
    "mappage.details": ("Détails d'une zone", "Details of an area"),
    "mappage.area_select": ("Zone (ou cliquez sur la carte)", "Area (or click the map)"),
    "mappage.area_none": ("— choisir une zone —", "— choose an area —"),
    "mappage.legend_caption": ("Légende de la carte", "Map legend"),
    "map.error.no_areas": (
        "Aucune zone à montrer au niveau « {level} » avec ces filtres. Les secteurs de recensement "
        "n'existent que dans les villes qui en ont (London, St. Thomas, Woodstock…) : choisissez le "
        "niveau municipalité ou d'autres filtres.",
        "No area to show at level '{level}' with these filters. Census tracts exist only in the cities "
        "that have them (London, St. Thomas, Woodstock…): choose the municipality level or other filters.",
    ),
}
