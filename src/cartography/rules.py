"""The one home for the rules a member's answers and the store's records follow.

Each rule is written once here and used by the domain model (pydantic fields), by
validation (which says where a rule is broken, in French) and by the store. Changing a
rule here changes it everywhere; nothing else spells these patterns out.
"""

from __future__ import annotations

import re

#: An organisation's identifier: lower-case letters, digits, ``-`` and ``_``, 2 to 40
#: characters, starting with a letter or digit (it names files and store rows).
ORG_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{1,39}$"
#: An e-mail address, loosely: something, ``@``, a domain with a dot. Deliverability is not
#: checked; the coordinator writes to it.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
#: A Canadian postal code, upper case, with or without the space (``N6A 3K7``, ``N6A3K7``).
POSTAL_CODE_PATTERN = r"^([A-Z]\d[A-Z])\s?(\d[A-Z]\d)$"

ORG_ID = re.compile(ORG_ID_PATTERN)
EMAIL = re.compile(EMAIL_PATTERN)
POSTAL_CODE = re.compile(POSTAL_CODE_PATTERN)

#: Versions loaded by ``cartography demo`` are authored ``demo:<org_id>``: that prefix is
#: how every part of the tool tells demonstration data from members' real answers.
DEMO_AUTHOR_PREFIX = "demo:"


def demo_author(org_id: str) -> str:
    """The author recorded on a demonstration version of ``org_id``."""
    return f"{DEMO_AUTHOR_PREFIX}{org_id}"


def is_demo_author(author: str) -> bool:
    """Whether a version was loaded by the demonstration, not typed by a member."""
    return author.startswith(DEMO_AUTHOR_PREFIX)


__all__ = [
    "DEMO_AUTHOR_PREFIX",
    "EMAIL",
    "EMAIL_PATTERN",
    "ORG_ID",
    "ORG_ID_PATTERN",
    "POSTAL_CODE",
    "POSTAL_CODE_PATTERN",
    "demo_author",
    "is_demo_author",
]
