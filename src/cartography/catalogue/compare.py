"""Messages: comparison between cycles, "Qu'est-ce qui a changé ?" (French first, English beside)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # class change of an area between two cycles
    "compare.class.improved": ("Amélioré", "Improved"),
    "compare.class.unchanged": ("Inchangé", "Unchanged"),
    "compare.class.worsened": ("Détérioré", "Worsened"),
    "compare.class.not_comparable": ("Non comparable", "Not comparable"),
    # what happened to a service
    "compare.change.added": ("Nouveau service", "New service"),
    "compare.change.closed": ("Service fermé", "Service closed"),
    "compare.change.changed": ("Service modifié", "Service changed"),
    # why an area is not compared
    "compare.flag.demand_source": (
        "source de la demande différente",
        "different demand source",
    ),
    "compare.flag.boundary": ("limites modifiées", "boundary changed"),
    "compare.flag.area_new": ("zone absente du premier cycle", "area absent from the first cycle"),
    "compare.flag.area_gone": ("zone absente du second cycle", "area absent from the second cycle"),
    # command line
    "compare.error.same_cycle": (
        "Choisissez deux cycles différents (« {cycle} » deux fois).",
        "Choose two different cycles ('{cycle}' twice).",
    ),
    "compare.error.level": (
        "Niveau « {level} » inconnu. Niveaux possibles : {levels}.",
        "Unknown level '{level}'. Possible levels: {levels}.",
    ),
    "compare.written": (
        "Comparaison {before} → {after} écrite dans {path} : {added} service(s) ajouté(s), {closed} fermé(s), "
        "{changed} modifié(s) ; zones améliorées : {improved}, détériorées : {worsened}, non comparables : {flagged}.",
        "Comparison {before} → {after} written to {path}: {added} service(s) added, {closed} closed, "
        "{changed} changed; areas improved: {improved}, worsened: {worsened}, not comparable: {flagged}.",
    ),
    # app page
    "compare.nav": ("Qu'est-ce qui a changé ?", "What has changed?"),
    "compare.intro": (
        "Comparez deux cycles : les services ouverts, fermés ou modifiés, et la classe de lacune de chaque zone "
        "(améliorée, inchangée ou détériorée). Seuls les résultats publiés sont comparés (petits nombres "
        "supprimés, autres arrondis).",
        "Compare two cycles: the services opened, closed or changed, and each area's gap class (improved, "
        "unchanged or worsened). Only published results are compared (small counts suppressed, others rounded).",
    ),
    "compare.need_two": (
        "Il faut au moins deux cycles avec des soumissions validées pour comparer.",
        "At least two cycles with validated submissions are needed to compare.",
    ),
    "compare.from": ("Cycle de départ", "From cycle"),
    "compare.to": ("Cycle d'arrivée", "To cycle"),
    "compare.same": ("Choisissez deux cycles différents.", "Choose two different cycles."),
    "compare.nothing": (
        "Le cycle {cycle} n'a encore aucune soumission validée.",
        "Cycle {cycle} has no validated submission yet.",
    ),
    "compare.summary": (
        "{added} service(s) ouvert(s), {closed} fermé(s), {changed} modifié(s). Zones × catégories : "
        "{improved} amélioré(es), {worsened} détérioré(es), {flagged} non comparable(s).",
        "{added} service(s) opened, {closed} closed, {changed} changed. Areas × categories: "
        "{improved} improved, {worsened} worsened, {flagged} not comparable.",
    ),
    "compare.map_title": ("Évolution de la classe de lacune", "Change of gap class"),
    "compare.legend_note": (
        "Classe de lacune du cycle {after} comparée à celle du cycle {before}.",
        "Gap class of cycle {after} compared with cycle {before}.",
    ),
    "compare.services_title": ("Services ouverts, fermés ou modifiés", "Services opened, closed or changed"),
    "compare.no_service_change": ("Aucun service n'a changé.", "No service changed."),
    "compare.areas_title": ("Ce qui a changé par zone", "What changed by area"),
    "compare.only_changed": ("Seulement les zones qui ont changé", "Only areas that changed"),
    "compare.no_area_change": ("Aucune zone n'a changé de classe.", "No area changed class."),
    "compare.flagged_note": (
        "Zones non comparables : {names}. Leur demande ou leurs limites diffèrent d'un cycle à l'autre ; "
        "leurs valeurs sont montrées, pas leur évolution.",
        "Areas not comparable: {names}. Their demand or boundaries differ between the cycles; their values "
        "are shown, not their change.",
    ),
    "compare.privacy_note": (
        "Les nombres de clients sont les nombres publiés (1 à 4 supprimés, autres arrondis à 5) ; une "
        "différence qui touche un nombre supprimé est elle-même supprimée (vide).",
        "Client counts are the published counts (1 to 4 suppressed, others rounded to 5); a difference "
        "involving a suppressed count is itself suppressed (empty).",
    ),
    "compare.download": ("Télécharger la comparaison (GeoPackage)", "Download the comparison (GeoPackage)"),
    "compare.tooltip": (
        "{name} — {category} : {before} → {after} ({change})",
        "{name} — {category}: {before} → {after} ({change})",
    ),
    # column headers (comparison tables)
    "compare.col.area": ("Zone", "Area"),
    "compare.col.category": ("Catégorie", "Category"),
    "compare.col.class_before": ("Classe avant", "Class before"),
    "compare.col.class_after": ("Classe après", "Class after"),
    "compare.col.class_change": ("Évolution", "Change"),
    "compare.col.services_in": (
        "Services en français sur place (avant → après)",
        "French services on site (before → after)",
    ),
    "compare.col.services_before": ("Services en français avant", "French services before"),
    "compare.col.services_after": ("Services en français après", "French services after"),
    "compare.col.access_change": ("Accessibilité (E2SFCA) : écart", "Accessibility (E2SFCA): change"),
    "compare.col.nearest_change": ("Distance au plus proche (km) : écart", "Distance to nearest (km): change"),
    "compare.col.needs_unmet_before": ("Besoins non comblés avant", "Unmet needs before"),
    "compare.col.needs_unmet_after": ("Besoins non comblés après", "Unmet needs after"),
    "compare.col.clients_before": ("Clients (publiés) avant", "Clients (published) before"),
    "compare.col.clients_after": ("Clients (publiés) après", "Clients (published) after"),
    "compare.col.clients_change": ("Clients : écart", "Clients: change"),
    "compare.col.flags": ("Non comparable car", "Not comparable because"),
    "compare.col.change": ("Changement", "Change"),
    "compare.col.org": ("Organisme", "Organisation"),
    "compare.col.service": ("Service", "Service"),
    "compare.col.site": ("Lieu", "Site"),
    "compare.col.municipality": ("Municipalité", "Municipality"),
    "compare.col.language": ("Langue de service", "Language of service"),
    "compare.col.mode": ("Mode", "Mode"),
    # deck slide
    "compare.slide_title": ("Depuis le dernier cycle", "Since the last cycle"),
    "compare.slide_subtitle": (
        "Cycle {after} comparé au cycle {before} (résultats publiés)",
        "Cycle {after} compared with cycle {before} (published results)",
    ),
    "compare.slide.services": ("Services", "Services"),
    "compare.slide.areas": ("Classes de lacune (municipalités)", "Gap classes (municipalities)"),
    "compare.slide.added": ("Ouvert : {service} ({org}, {place})", "Opened: {service} ({org}, {place})"),
    "compare.slide.closed": ("Fermé : {service} ({org}, {place})", "Closed: {service} ({org}, {place})"),
    "compare.slide.changed": (
        "Modifié : {service} ({org}, {place}) — {what}",
        "Changed: {service} ({org}, {place}) — {what}",
    ),
    "compare.slide.more": ("… et {count} autre(s)", "… and {count} more"),
    "compare.slide.no_site": ("à distance", "remote"),
    "compare.slide.none": ("Aucun changement de service.", "No service changed."),
    "compare.slide.counts": (
        "{improved} amélioré(es), {unchanged} inchangé(es), {worsened} détérioré(es), {flagged} non comparable(s) "
        "(municipalité × catégorie)",
        "{improved} improved, {unchanged} unchanged, {worsened} worsened, {flagged} not comparable "
        "(municipality × category)",
    ),
    "compare.slide.group": (
        "{category} : {change} dans {count} zone(s) — {names}",
        "{category}: {change} in {count} area(s) — {names}",
    ),
    "compare.slide.note": (
        "Besoins : ce que les membres ont signalé, pas une prévalence. Zones dont la demande ou les limites "
        "diffèrent : non comparées.",
        "Needs: what members reported, not prevalence. Areas whose demand or boundaries differ: not compared.",
    ),
}
