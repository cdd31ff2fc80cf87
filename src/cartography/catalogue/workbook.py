"""Messages: reading an uploaded workbook within bounds, and the validator's limits (French first, English beside)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the archive -------------------------------------------------------------------
    "workbook.not_zip": (
        "Ce fichier n'est pas un classeur Excel .xlsx lisible.",
        "This file is not a readable Excel .xlsx workbook.",
    ),
    "workbook.not_workbook": (
        "Ce fichier ne contient pas de classeur Excel.",
        "This file holds no Excel workbook.",
    ),
    "workbook.too_many_parts": (
        "Le fichier contient {value} parties (au plus {limit}) : ce n'est pas un gabarit normal. "
        "Téléchargez un nouveau gabarit et recopiez-y vos réponses.",
        "The file holds {value} parts (at most {limit}): this is not a normal template. Download "
        "a new template and copy your answers into it.",
    ),
    "workbook.damaged_part": (
        "Le fichier est endommagé (partie « {part} »). Ouvrez-le dans Excel et enregistrez-le de "
        "nouveau au format .xlsx.",
        "The file is damaged (part '{part}'). Open it in Excel and save it again as .xlsx.",
    ),
    "workbook.encrypted_part": (
        "Une partie du fichier est chiffrée (« {part} »). Enlevez le mot de passe et enregistrez "
        "le classeur au format .xlsx.",
        "Part of the file is encrypted ('{part}'). Remove the password and save the workbook as .xlsx.",
    ),
    "workbook.macros": (
        "Le fichier contient des macros (classeur .xlsm). Les macros ne sont jamais exécutées ici : "
        "enregistrez le classeur au format « Classeur Excel (.xlsx) » et déposez-le de nouveau.",
        "The file contains macros (.xlsm workbook). Macros are never run here: save the workbook as "
        "'Excel Workbook (.xlsx)' and upload it again.",
    ),
    "workbook.part_too_large": (
        "La partie « {part} » du fichier se décompresse en plus de {limit} Mo : un gabarit rempli "
        "en fait quelques centaines de Ko. Recopiez vos réponses dans un nouveau gabarit.",
        "The part '{part}' of the file decompresses to more than {limit} MB; a filled template "
        "needs a few hundred KB. Copy your answers into a new template.",
    ),
    "workbook.ratio": (
        "La partie « {part} » se décompresse en {ratio} fois sa taille (au plus {limit}) : le "
        "fichier est refusé par prudence. Recopiez vos réponses dans un nouveau gabarit.",
        "The part '{part}' decompresses to {ratio} times its size (at most {limit}): the file is "
        "refused as a precaution. Copy your answers into a new template.",
    ),
    "workbook.total_too_large": (
        "Le fichier se décompresse en {size} Mo (au plus {limit} Mo). Recopiez vos réponses dans un nouveau gabarit.",
        "The file decompresses to {size} MB (at most {limit} MB). Copy your answers into a new template.",
    ),
    # --- reading the parts -------------------------------------------------------------
    "workbook.time_budget": (
        "La lecture du fichier a dépassé {seconds} s (arrêtée dans « {value} ») : il est trop lourd "
        "pour un gabarit. Supprimez les lignes et les feuilles ajoutées, ou recopiez vos réponses "
        "dans un nouveau gabarit.",
        "Reading the file took over {seconds} s (stopped in '{value}'): it is too heavy for a "
        "template. Delete added rows and sheets, or copy your answers into a new template.",
    ),
    "workbook.dtd": (
        "La partie « {value} » contient des déclarations XML (DOCTYPE ou ENTITY) qu'aucun classeur "
        "Excel ne contient : le fichier est refusé.",
        "The part '{value}' contains XML declarations (DOCTYPE or ENTITY) that no Excel workbook "
        "contains: the file is refused.",
    ),
    "workbook.damaged_xml": (
        "La feuille ou partie « {value} » est endommagée (XML illisible, ligne {line} du XML). "
        "Ouvrez le classeur dans Excel et enregistrez-le de nouveau.",
        "The sheet or part '{value}' is damaged (unreadable XML, line {line} of the XML). Open the "
        "workbook in Excel and save it again.",
    ),
    "workbook.too_many_sheets": (
        "Le classeur contient trop de feuilles (au plus {limit}).",
        "The workbook has too many sheets (at most {limit}).",
    ),
    "workbook.too_many_strings": (
        "Le classeur contient trop de textes différents (au plus {limit}) : ce n'est pas un gabarit normal.",
        "The workbook holds too many distinct texts (at most {limit}): this is not a normal template.",
    ),
    "workbook.too_many_styles": (
        "Le classeur contient trop de styles de cellule (au plus {limit}). Recopiez vos réponses "
        "dans un nouveau gabarit (Coller les valeurs).",
        "The workbook holds too many cell styles (at most {limit}). Copy your answers into a new "
        "template (Paste values).",
    ),
    "workbook.cell_too_long": (
        "Une cellule contient plus de {limit} caractères, plus qu'Excel n'en permet.",
        "A cell holds more than {limit} characters, more than Excel allows.",
    ),
    "workbook.bad_reference": (
        "Référence de cellule invalide (« {value} ») : le fichier est endommagé. Enregistrez-le de nouveau dans Excel.",
        "Invalid cell reference ('{value}'): the file is damaged. Save it again in Excel.",
    ),
    "workbook.row_order": (
        "Les lignes de la feuille sont désordonnées ou répétées (ligne {value}) : le fichier est "
        "endommagé. Enregistrez-le de nouveau dans Excel.",
        "The sheet's rows are out of order or repeated (row {value}): the file is damaged. Save it again in Excel.",
    ),
    "workbook.bad_shared_string": (
        "La cellule renvoie à un texte qui n'existe pas (n° {value}) : le fichier est endommagé.",
        "The cell refers to a text that does not exist (no. {value}): the file is damaged.",
    ),
    "workbook.duplicate_sheet": (
        "La feuille « {value} » apparaît deux fois. Gardez-en une seule.",
        "The sheet '{value}' appears twice. Keep only one.",
    ),
    "workbook.not_a_table": (
        "La feuille « {value} » n'est pas un tableau (graphique ou autre) : remplacez-la par la feuille du gabarit.",
        "The sheet '{value}' is not a table (a chart or other): replace it with the template's sheet.",
    ),
    "workbook.unexpected": (
        "Le fichier n'a pas pu être lu à cause d'une erreur interne (n° {error_id}). Signalez ce "
        "numéro à la coordination.",
        "The file could not be read because of an internal error (no. {error_id}). Report this "
        "number to the coordination.",
    ),
    # --- the validator's limits --------------------------------------------------------
    "workbook.number_too_large": (
        "Le nombre {value} dépasse le maximum plausible de {limit}. Vérifiez-le.",
        "The number {value} exceeds the plausible maximum of {limit}. Check it.",
    ),
    "workbook.not_finite": (
        "« {value} » n'est pas un nombre utilisable.",
        "'{value}' is not a usable number.",
    ),
    "workbook.control_characters": (
        "Le texte contient des caractères invisibles ou illisibles (position {position}). Retapez-le.",
        "The text contains invisible or unreadable characters (position {position}). Type it again.",
    ),
    "workbook.too_many_areas": (
        "Trop de municipalités ou régions dans une cellule ({count} ; au plus {limit}).",
        "Too many municipalities or regions in one cell ({count}; at most {limit}).",
    ),
    "workbook.too_many_problems": (
        "Plus de {limit} problèmes : la vérification s'est arrêtée. Corrigez ceux-ci puis vérifiez de nouveau.",
        "More than {limit} problems: checking stopped. Fix these, then check again.",
    ),
}
