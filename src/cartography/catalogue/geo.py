"""Messages: geo (French first, English beside).

Geocoding answers that the gazetteer of version 2 made possible: ambiguous names, places
and points outside the region, points near a municipal edge, street addresses.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "geo.attribution.cgndb": (
        "Contient de l'information de la Base de données toponymiques du Canada (BDTC) "
        "autorisée en vertu de la Licence du gouvernement ouvert – Canada.",
        "Contains information from the Canadian Geographical Names Database (CGNDB) licensed "
        "under the Open Government Licence – Canada.",
    ),
    "geocode.error.ambiguous": (
        "« {text} » désigne plusieurs lieux de la région : {choices}. Précisez la municipalité "
        "ou le comté (par exemple « {example} »), ou choisissez le lieu dans la liste.",
        "'{text}' names several places of the region: {choices}. Add the municipality or the "
        "county (for example '{example}'), or pick the place from the list.",
    ),
    "geocode.error.outside_place": (
        "« {text} » est hors de la région desservie (London, Middlesex, Elgin, Oxford) : "
        "{place} est à environ {km} km de ses limites.",
        "'{text}' is outside the region served (London, Middlesex, Elgin, Oxford): {place} "
        "is about {km} km from its boundary.",
    ),
    "geocode.error.outside_point": (
        "Le point « {text} » est hors de la région desservie (London, Middlesex, Elgin, "
        "Oxford), à environ {km} km de ses limites. Vérifiez les coordonnées (latitude, "
        "longitude ; la longitude est négative en Ontario).",
        "The point '{text}' is outside the region served (London, Middlesex, Elgin, Oxford), "
        "about {km} km from its boundary. Check the coordinates (latitude, longitude; "
        "longitude is negative in Ontario).",
    ),
    "geocode.error.did_you_mean": (
        "Lieu inconnu ou hors de la région : « {text} ». Lieux de la région à l'orthographe "
        "voisine : {names}. Chacun est un lieu distinct, dans la municipalité indiquée entre "
        "parenthèses : inscrivez-le ainsi seulement si c'est bien celui-là.",
        "Unknown place or outside the region: '{text}'. Places of the region spelt alike: "
        "{names}. Each is a distinct place, in the municipality shown in brackets: enter it "
        "that way only if it is the one you mean.",
    ),
    "geocode.error.street_only": (
        "« {text} » ressemble à une adresse sans localité : ajoutez la municipalité ou la "
        "localité (par exemple « 1 Dundas St, London ») ou le code postal.",
        "'{text}' looks like a street address without a town: add the municipality or the "
        "community (for example '1 Dundas St, London') or the postal code.",
    ),
    "geocode.error.county": (
        "« {text} » est un comté, qui compte plusieurs municipalités : inscrivez la "
        "municipalité ou la localité (par exemple « Aylmer » ou « Port Stanley »).",
        "'{text}' is a county, which holds several municipalities: enter the municipality or "
        "the community (for example 'Aylmer' or 'Port Stanley').",
    ),
    "geocode.note.nearest_to": (
        "{label} : le plus proche de « {qualifier} » parmi les lieux de ce nom.",
        "{label}: the nearest to '{qualifier}' of the places with that name.",
    ),
    "geocode.note.near_edge": (
        "Municipalité incertaine : le point est dans {name}, à {edge} m de sa limite, soit "
        "moins que la marge d'erreur de cette limite ({tolerance} m). Il pourrait être dans : "
        "{others}. Vérifiez la municipalité.",
        "Uncertain municipality: the point is in {name}, {edge} m from its boundary, less "
        "than that boundary's margin of error ({tolerance} m). It could be in: {others}. "
        "Check the municipality.",
    ),
    "geocode.note.near_outline": (
        "Municipalité incertaine : le point est à {edge} m de la limite de {name}, au bord de "
        "la région (marge d'erreur de cette limite : {tolerance} m) ; il pourrait être hors "
        "de la région. Vérifiez la municipalité.",
        "Uncertain municipality: the point is {edge} m from the boundary of {name}, at the "
        "edge of the region (that boundary's margin of error: {tolerance} m); it could be "
        "outside the region. Check the municipality.",
    ),
    "geocode.note.also_outside": (
        "Il pourrait aussi être hors de la région.",
        "It could also be outside the region.",
    ),
    "geocode.note.corrected": (
        "« {text} » lu comme « {name} » (faute de frappe probable) ; vérifiez.",
        "'{text}' read as '{name}' (probable typo); check it.",
    ),
    "geocode.note.street_not_placed": (
        "Adresse placée à sa localité : la rue (« {street} ») n'est pas localisée, faute de réseau routier hors ligne.",
        "Address placed at its community: the street ('{street}') itself is not located, as "
        "no street network is available offline.",
    ),
    "geocode.note.postal_instead": (
        "« {text} » est inconnu : le code postal a servi.",
        "'{text}' is unknown: the postal code was used.",
    ),
    "geocode.note.postal_elsewhere": (
        "La localité nommée a servi ; la RTA {fsa} est surtout celle de {other}.",
        "The community named was used; FSA {fsa} is mainly that of {other}.",
    ),
    "geocode.note.qualifier_ignored": (
        "{label} : c'est sa municipalité, non « {qualifier} » (souvent le bureau de poste).",
        "{label}: that is its municipality, not '{qualifier}' (often the post office town).",
    ),
    "geocode.note.swapped": (
        "Coordonnées lues dans l'ordre latitude {lat}, longitude {lon}.",
        "Coordinates read as latitude {lat}, longitude {lon}.",
    ),
}
