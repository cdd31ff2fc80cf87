"""Messages of the PowerPoint decks and of the Excel template's layout (DECK helper's topic).

Keys start with ``deck.`` (slides) or ``tpl.`` (template). French first, English beside.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "deck.continued": ("{title} (suite)", "{title} (continued)"),
    "deck.continued_note": (
        "Suite à la diapositive suivante (ici les lignes {first} à {last} sur {total}).",
        "Continued on the next slide (rows {first} to {last} of {total} here).",
    ),
    "deck.continued_note_one": (
        "Suite à la diapositive suivante (ici la ligne {row} sur {total}).",
        "Continued on the next slide (row {row} of {total} here).",
    ),
    "deck.cell_continued": ("(suite)", "(continued)"),
    "deck.more_items": (
        "… et {count} autre(s), listé(s) à la diapositive suivante.",
        "… and {count} more, listed on the next slide.",
    ),
    "deck.axis_count": ("Nombre de besoins signalés", "Number of needs reported"),
    "deck.legend_title": ("Classe de lacune (toutes catégories)", "Gap class (all categories)"),
    "deck.sites_legend": ("Lieu de service du membre", "Member's service site"),
    "deck.points_legend": ("Service en personne en français", "In-person French service"),
    "deck.site_number": ("Numéros : voir la liste à droite", "Numbers: see the list on the right"),
    "tpl.dv.whole_message": (
        "Inscrivez un nombre entier de 0 ou plus (0, 1, 2…), sans texte ni décimale.",
        "Enter a whole number, 0 or more (0, 1, 2…), with no text or decimals.",
    ),
    "tpl.dv.list_message": (
        "Cette valeur n'est pas dans la liste « {list} ». Choisissez une valeur du menu déroulant.",
        "This value is not in the list '{list}'. Pick a value from the drop-down.",
    ),
    "tpl.dv.list_prompt": ("Choisissez dans la liste.", "Pick from the list."),
    "tpl.help_heading": ("Aide (français / English)", "Help (French / English)"),
}
