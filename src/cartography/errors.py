"""The one home for errors a user can cause and fix.

Every workflow (command line, app, services) raises :class:`UserError` with a catalogue key
and its fields; whoever shows it picks the language. A ``UserError`` promises that nothing
changed: it is raised before any state is written. Anything else that escapes is a bug and
is reported as an incident (``cartography.incidents``), never as a traceback to the user.
"""

from __future__ import annotations

from cartography.i18n import Lang, both, t


class UserError(Exception):
    """An error the user caused and can fix; carries a catalogue key and its fields.

    The command line prints it in French with English beside it and exits non-zero; the app
    shows it in the chosen language. Nothing that raised it has changed any state.
    """

    def __init__(self, key: str, /, **fields: object) -> None:
        self.key = key
        self.fields = fields
        super().__init__(t(key, "fr", **fields))

    def message(self, lang: Lang = "fr") -> str:
        """The message in one language."""
        return t(self.key, lang, **self.fields)

    def bilingual(self) -> str:
        """The message in French with English beside it."""
        return both(self.key, **self.fields)


__all__ = ["UserError"]
