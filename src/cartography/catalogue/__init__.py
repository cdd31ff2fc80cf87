"""Topic files of the message catalogue, merged into :data:`cartography.i18n.MESSAGES`.

Each module holds one ``MESSAGES`` dict of ``key -> (français, english)``. Keeping topics in
their own files lets the catalogue grow without one file of a thousand lines; a key may be
defined only once across all topics (``cartography.i18n`` refuses duplicates at import).
"""

TOPICS = (
    "geo",
    "census",
    "demand",
    "safety",
    "workbook",
    "store",
    "ui_safety",
    "compare",
    "admin_form",
    "app_fr",
    "deck",
    "exports",
    "plan",
    "map_page",
    "hsds",
    "records",
    "cli",
)
