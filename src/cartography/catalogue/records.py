"""Messages: a member's answers checked as records, located as the online form shows them.

A workbook's problems speak of sheets and columns; the same problems found in the online
form speak of its tables and fields, so the member looks in the right place.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "records.required": (
        "Valeur obligatoire manquante : remplissez le champ « {name} ».",
        "Required value missing: fill in the field '{name}'.",
    ),
    "records.unknown_site": (
        "Le code de lieu « {value} » n'existe pas dans le tableau « Lieux ». Codes connus : {known}.",
        "The site code '{value}' does not exist in the 'Lieux' table. Known codes: {known}.",
    ),
    "records.site_required": (
        "Un service en personne ou itinérant doit indiquer son lieu (champ « Code du lieu »).",
        "An in-person or itinerant service must name its site (field 'Code du lieu').",
    ),
    "records.too_many_rows": (
        "Trop de lignes dans le tableau ({value} ; au plus {limit}).",
        "Too many rows in the table ({value}; at most {limit}).",
    ),
    "records.col.section": ("Section", "Section"),
    "records.col.field": ("Champ", "Field"),
}
