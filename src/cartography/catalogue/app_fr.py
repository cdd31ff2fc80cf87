"""Messages: app_fr (French first, English beside).

The app around the pages: page titles in the browser tab, the sign-in note about reloading,
placeholders of the French-safe widgets, the explorer's chart, and the French words that
replace Streamlit's own English framework text (``appfr.fw.*``, used by the page translator
in :mod:`cartography.ui.state`; their English side is the framework's text as written).
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "appfr.tab_title": ("{page} — Cartographie", "{page} — Cartographie"),
    "appfr.language": ("Langue / Language", "Langue / Language"),
    "appfr.sign_in_note": (
        "La connexion ne survit pas au rechargement de la page ni à un signet : "
        "reconnectez-vous après un rechargement.",
        "Sign-in does not survive reloading the page or opening a bookmark: "
        "sign in again after a reload.",
    ),
    "appfr.choose_one": ("Choisir…", "Choose…"),
    "appfr.choose_many": ("Toutes (choisir pour filtrer)", "All (choose to filter)"),
    "appfr.upload_help": (
        "Un fichier {types}, {limit} Mo au plus. Glissez-le dans la zone ou cliquez sur « Parcourir ».",
        "One {types} file, at most {limit} MB. Drop it on the area or click “Browse files”.",
    ),
    # -- explorer chart ------------------------------------------------------------------
    "appfr.chart.gap_title": (
        "Indice de lacune par zone (du plus élevé au plus bas)",
        "Gap index by area (highest first)",
    ),
    "appfr.chart.gap_axis": (
        "Indice de lacune (0 à 1 ; moyenne si plusieurs catégories)",
        "Gap index (0 to 1; mean if several categories)",
    ),
    "appfr.chart.first_n": (
        "Le graphique montre les {shown} premières zones sur {total}.",
        "The chart shows the first {shown} areas of {total}.",
    ),
    "appfr.chart.all_n": ("Le graphique montre les {total} zones.", "The chart shows all {total} areas."),
    "appfr.chart.area": ("Zone", "Area"),
    "appfr.chart.needs_title": (
        "Besoins non comblés déclarés, par catégorie",
        "Unmet needs reported, by category",
    ),
    "appfr.chart.needs_axis": ("Besoins non comblés (nombre déclaré)", "Unmet needs (number reported)"),
    "appfr.chart.category": ("Catégorie", "Category"),
    "appfr.table_sorted": (
        "Trié par classe de lacune puis par indice, de la lacune la plus forte à la plus faible ; "
        "nombres arrondis pour la lecture (les téléchargements gardent les valeurs exactes).",
        "Sorted by gap class then index, largest gap first; numbers rounded for reading "
        "(downloads keep the exact values).",
    ),
    # -- Streamlit's own text, in French (the English side is the framework's wording) ----------
    "appfr.fw.select_all": ("Tout sélectionner", "Select all"),
    "appfr.fw.choose_option": ("Choisir une option", "Choose an option"),
    "appfr.fw.choose_options": ("Choisir des options", "Choose options"),
    "appfr.fw.no_results": ("Aucun résultat", "No results"),
    "appfr.fw.drag_file": ("Glissez-déposez le fichier ici", "Drag and drop file here"),
    "appfr.fw.drag_files": ("Glissez-déposez les fichiers ici", "Drag and drop files here"),
    "appfr.fw.browse": ("Parcourir", "Browse files"),
    # The date boxes (JJ/MM/AAAA): each part's placeholder, and its name for screen readers.
    "appfr.fw.date_day": ("jj", "dd"),
    "appfr.fw.date_year": ("aaaa", "yyyy"),
    "appfr.fw.date_day_label": ("jour, {label}", "day, {label}"),
    "appfr.fw.date_month_label": ("mois, {label}", "month, {label}"),
    "appfr.fw.date_year_label": ("année, {label}", "year, {label}"),
    "appfr.fw.press_enter_form": ("Appuyez sur Entrée pour envoyer le formulaire", "Press Enter to submit form"),
    "appfr.fw.upload": ("Téléverser", "Upload"),
    "appfr.fw.limit": ("Limite de {size} par fichier", "Limit {size} per file"),
    "appfr.fw.per_file_mb": ("{size} Mo au plus par fichier", "{size}MB per file"),
    "appfr.fw.per_file": ("{size} au plus par fichier", "{size} per file"),
    "appfr.fw.fill_cell": ("Veuillez remplir cette cellule", "Please fill out this cell"),
    "appfr.fw.page_not_found": ("Page introuvable", "Page not found"),
    "appfr.fw.page_not_found_named": (
        "La page « {page} » n'existe pas, ou demande une connexion (la connexion ne survit pas au "
        "rechargement). Voici la page d'accueil.",
        "You have requested page /{page}, but no corresponding file was found in the app's pages/ "
        "directory. Running the app's main page.",
    ),
    "appfr.fw.page_not_found_any": (
        "La page demandée n'existe pas. Voici la page d'accueil.",
        "The page that you have requested does not seem to exist. Running the app's main page.",
    ),
    "appfr.fw.download_csv": ("Télécharger en CSV", "Download as CSV"),
    "appfr.fw.search": ("Rechercher", "Search"),
    "appfr.fw.fullscreen": ("Plein écran", "Fullscreen"),
    "appfr.fw.close_fullscreen": ("Quitter le plein écran", "Close fullscreen"),
    "appfr.fw.show_hide_columns": ("Afficher ou masquer des colonnes", "Show/hide columns"),
    "appfr.fw.clear_all": ("Tout effacer", "Clear all"),
    "appfr.fw.clear_value": ("Effacer", "Clear value"),
    "appfr.fw.running": ("En cours…", "Running..."),
    "appfr.fw.stop": ("Arrêter", "Stop"),
    "appfr.fw.connecting": ("Connexion au serveur…", "Connecting"),
    "appfr.fw.close": ("Fermer", "Close"),
    "appfr.fw.show_data": ("Afficher les données", "Show data"),
    "appfr.fw.view_fullscreen": ("Afficher en plein écran", "View fullscreen"),
    "appfr.fw.collapse_sidebar": ("Fermer le panneau latéral", "Collapse sidebar"),
    "appfr.fw.expand_sidebar": ("Ouvrir le panneau latéral", "Expand sidebar"),
    "appfr.fw.view_more": ("Voir plus", "View more"),
    "appfr.fw.view_less": ("Voir moins", "View less"),
    "appfr.fw.delete": ("Supprimer", "Delete"),
    "appfr.fw.remove": ("Retirer", "Remove"),
    "appfr.fw.add_row": ("Ajouter une ligne", "Add row"),
    "appfr.fw.delete_rows": ("Supprimer les lignes", "Delete row(s)"),
    "appfr.fw.main_menu": ("Menu principal", "Main menu"),
    "appfr.fw.none": ("—", "None"),
    "appfr.fw.error": ("Erreur", "Error"),
    "appfr.fw.connection_error": ("Erreur de connexion", "Connection error"),
    "appfr.fw.is_connecting": ("Connexion au serveur…", "Is Streamlit still running?"),
    "appfr.fw.file_too_large": ("Le fichier dépasse {size}.", "File must be {size} or smaller."),
    "appfr.fw.file_change": ("Fichier modifié.", "File change."),
    "appfr.fw.rerun": ("Relancer", "Rerun"),
    "appfr.fw.always_rerun": ("Toujours relancer", "Always rerun"),
    "appfr.fw.show_password": ("Afficher le mot de passe", "Show password"),
    "appfr.fw.hide_password": ("Masquer le mot de passe", "Hide password"),
    "appfr.fw.type_not_allowed": ("Ce type de fichier n'est pas accepté.", "file type is not allowed."),
}
