"""The domain model: what a member reports in one submission, and the submission itself.

Codes of controlled lists are stored, never labels; places are stored with the CSDUID the
geocoder found and the precision it reached, so every later step can trust them.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cartography.rules import EMAIL_PATTERN, ORG_ID_PATTERN
from cartography.vocabulary import (
    CLIENT_PROFILES,
    NEED_STATUSES,
    ORGANISATION_TYPES,
    SERVICE_CATEGORIES,
    SERVICE_LANGUAGES,
    SERVICE_MODES,
    SEVERITIES,
    SUBMISSION_STATUSES,
    Term,
    Vocabulary,
)

#: A service's status, with Open Referral HSDS 3.0's four values as codes (``service.status``
#: must be one of them in an HSDS export). Asked in the template since the HSDS export; a
#: workbook or stored submission from before says nothing and means "active".
SERVICE_STATUSES = Vocabulary(
    "service_status",
    "Statut du service",
    "Service status",
    (
        Term("active", "Actif", "Active"),
        Term("inactive", "Inactif", "Inactive"),
        Term("defunct", "Fermé définitivement", "Defunct"),
        Term("temporarily closed", "Fermé temporairement", "Temporarily closed"),
    ),
)

CYCLE_PATTERN = re.compile(r"^(\d{4})-(\d{4})$")

#: Largest count one cell may report (clients, clients concerned, capacity per year). Far above
#: any member's yearly clients, and small enough that summing every cell of every submission
#: stays far inside a 32-bit database column and a 64-bit array.
MAX_COUNT = 1_000_000
#: Longest free text (description, comment).
MAX_TEXT = 2000
# Text lengths, equal to the store's columns (cartography.io.store) so that whatever the
# validator accepts, PostgreSQL stores too (SQLite would not complain; PostgreSQL would).
CODE_LENGTH = 40  # org_id, site_code, service_code: String(40)
NAME_LENGTH = 200  # organisation, site and service names, contact: String(200)
ADDRESS_LENGTH = 300  # Site.address: String(300)
EMAIL_LENGTH = 254  # RFC 5321's longest address
PHONE_LENGTH = 60
WEBSITE_LENGTH = 300

NonNegative = Annotated[int, Field(ge=0, le=MAX_COUNT)]


def _in(vocab: Vocabulary, value: str) -> str:
    if value not in vocab:
        raise ValueError(f"{value!r} is not a {vocab.name} code")
    return value


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Organisation(_Frozen):
    """A member organisation (or partner) of the committee."""

    org_id: str = Field(pattern=ORG_ID_PATTERN)
    name: str = Field(min_length=2, max_length=NAME_LENGTH)
    org_type: str
    contact_name: str = Field(min_length=2, max_length=NAME_LENGTH)
    email: str = Field(pattern=EMAIL_PATTERN, max_length=EMAIL_LENGTH)
    phone: str = Field(default="", max_length=PHONE_LENGTH)
    website: str = Field(default="", max_length=WEBSITE_LENGTH)
    #: What the organisation does, in a few sentences (HSDS requires an organisation
    #: description; empty for submissions made before it was asked).
    description: str = Field(default="", max_length=MAX_TEXT)

    _type = field_validator("org_type")(lambda v: _in(ORGANISATION_TYPES, v))


class Site(_Frozen):
    """A place where services are offered (lieu de service), already geocoded."""

    site_code: str = Field(min_length=1, max_length=CODE_LENGTH)
    name: str = Field(min_length=1, max_length=NAME_LENGTH)
    address: str = Field(default="", max_length=ADDRESS_LENGTH)
    postal_code: str = Field(default="", max_length=7)
    csduid: str = Field(pattern=r"^\d{7}$")
    region: str
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    precision: str


class Service(_Frozen):
    """A service offered at a site, or from it (virtual, itinerant)."""

    service_code: str = Field(min_length=1, max_length=CODE_LENGTH)
    name: str = Field(min_length=1, max_length=NAME_LENGTH)
    category: str
    site_code: str = Field(default="", max_length=CODE_LENGTH)
    language: str
    mode: str
    areas_served: tuple[str, ...] = ()
    capacity: NonNegative | None = None
    description: str = Field(default="", max_length=MAX_TEXT)
    status: str = "active"

    _category = field_validator("category")(lambda v: _in(SERVICE_CATEGORIES, v))
    _status = field_validator("status")(lambda v: _in(SERVICE_STATUSES, v))
    _language = field_validator("language")(lambda v: _in(SERVICE_LANGUAGES, v))
    _mode = field_validator("mode")(lambda v: _in(SERVICE_MODES, v))


class ClientCount(_Frozen):
    """How many francophone immigrant clients of one profile came from one municipality."""

    csduid: str = Field(pattern=r"^\d{7}$")
    profile: str
    count: NonNegative
    category: str = ""

    _profile = field_validator("profile")(lambda v: _in(CLIENT_PROFILES, v))


class Need(_Frozen):
    """A need the member's clients have, where, how grave and whether it is met.

    ``area`` is a CSDUID (7 digits) or a region code: some needs are reported for a county.
    """

    category: str
    area: str
    clients: NonNegative
    severity: str
    status: str
    comment: str = Field(default="", max_length=MAX_TEXT)

    _category = field_validator("category")(lambda v: _in(SERVICE_CATEGORIES, v))
    _severity = field_validator("severity")(lambda v: _in(SEVERITIES, v))
    _status = field_validator("status")(lambda v: _in(NEED_STATUSES, v))


class SubmissionContent(_Frozen):
    """Everything one filled template says."""

    organisation: Organisation
    sites: tuple[Site, ...] = ()
    services: tuple[Service, ...] = ()
    clients: tuple[ClientCount, ...] = ()
    needs: tuple[Need, ...] = ()


class Cycle(_Frozen):
    """A reporting cycle such as "2019-2020" (consecutive years)."""

    code: str
    status: str = "open"
    opened_at: datetime | None = None
    starts_on: date | None = None
    ends_on: date | None = None

    @field_validator("code")
    @classmethod
    def _consecutive_years(cls, value: str) -> str:
        match = CYCLE_PATTERN.match(value)
        if not match or int(match.group(2)) != int(match.group(1)) + 1:
            raise ValueError("cycle must look like 2019-2020")
        return value


class Submission(_Frozen):
    """One stored version of one organisation's answers for one cycle."""

    submission_id: int
    org_id: str
    cycle: str
    version: int = Field(ge=1)
    status: str
    author: str
    created_at: datetime
    validated_at: datetime | None = None
    validated_by: str | None = None
    source_name: str = ""
    content: SubmissionContent

    _status = field_validator("status")(lambda v: _in(SUBMISSION_STATUSES, v))
