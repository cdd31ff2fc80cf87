"""French typography for every French text the tool writes: no-break spaces around punctuation.

French sets a space before ``: ; ! ?`` and inside guillemets « », and that space must never
break a line (a lone « : » or « ? » at the start of a line is a typesetting error). The tool
follows the Office québécois de la langue française and the Imprimerie nationale:

* a narrow no-break space (U+202F, ``NNBSP``) before ``;``, ``!`` and ``?``;
* a full no-break space (U+00A0, ``NBSP``) before ``:`` and inside « ».

Both characters are in Arial, Liberation Sans and DejaVu, and Excel, LibreOffice and
PowerPoint render and keep them. The rule is applied to the *catalogue's* French texts (by
:func:`cartography.i18n.t`, before fields are filled in) and to the fixed French texts of
generated documents (template headings and help); text a member typed is never rewritten.

Only a space that is already there is made unbreakable, and a missing space is added only
where the punctuation ends a phrase (followed by a space, a closing quote or the end), so
``12:30``, ``http://``, ``EPSG:2958``, ``?q=1`` and ``str.format`` fields such as ``{x:.1f}``
or ``{v!r}`` are left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: No-break space, before « : » and inside guillemets.
NBSP = "\u00a0"
#: Narrow no-break space, before « ; ! ? » (and the French thousands separator).
NNBSP = "\u202f"

_SPACES = f" {NBSP}{NNBSP}\t"
# A phrase-ending mark: followed by whitespace, end of text or a closing bracket/quote (not "." or
# ",": ``{x:.1f}`` and ``{n:,}`` are format specifications, not punctuation).
_END = r"(?=$|[\s)\]»\"'’])"
_BEFORE_TIGHT = re.compile(rf"(?<=[^\s{_SPACES}(\[{{«])[{_SPACES}]*([;!?])" + _END)
_BEFORE_COLON = re.compile(rf"(?<=[^\s{_SPACES}(\[{{«/])[{_SPACES}]*:" + _END)
_OPEN_QUOTE = re.compile(rf"«[{_SPACES}]*")
_CLOSE_QUOTE = re.compile(rf"[{_SPACES}]*»")


@lru_cache(maxsize=4096)
def french(text: str) -> str:
    """``text`` with French no-break spaces before ``: ; ! ?`` and inside « ».

    Parameters
    ----------
    text
        A French text or ``str.format`` template. Idempotent: ``french(french(x)) ==
        french(x)``, so applying it twice (catalogue, then document) is harmless.

    Returns
    -------
    str
        The same words; only the spaces around the four marks and the guillemets change.
    """
    if not text:
        return text
    out = _BEFORE_TIGHT.sub(lambda m: NNBSP + m.group(1), text)
    out = _BEFORE_COLON.sub(NBSP + ":", out)
    out = _OPEN_QUOTE.sub("«" + NBSP, out)
    return _CLOSE_QUOTE.sub(NBSP + "»", out)


def problems(text: str) -> list[str]:
    """What is typographically wrong in a French text (empty when it is right).

    Used by the test over the whole catalogue and by the deck checks: each entry quotes the
    offending neighbourhood so a translator can find it.
    """
    found = []
    for match in re.finditer(r"[;!?:]", text):
        mark, at = match.group(), match.start()
        before = text[at - 1] if at else ""
        after = text[at + 1 : at + 2]
        ends_phrase = after == "" or after.isspace() or after in ")]»\"'’"
        if not ends_phrase or at == 0 or before in "({[«" or before == "\n":
            continue
        if mark == ":" and before == "/":
            continue
        if before == NBSP and text[at - 2 : at - 1] == "«":  # a quoted mark: « ; »
            continue
        wanted = NBSP if mark == ":" else NNBSP
        if before != wanted:
            found.append(f"{text[max(0, at - 12) : at + 2]!r}: {mark!r} needs U+{ord(wanted):04X} before it")
    for match in re.finditer("«", text):
        if text[match.end() : match.end() + 1] != NBSP:
            found.append(f"{text[match.start() : match.end() + 10]!r}: « needs U+00A0 after it")
    for match in re.finditer("»", text):
        if match.start() == 0 or text[match.start() - 1] != NBSP:
            found.append(f"{text[max(0, match.start() - 10) : match.end()]!r}: » needs U+00A0 before it")
    return found
