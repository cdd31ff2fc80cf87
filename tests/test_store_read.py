"""Reading validated submissions back (``Store.validated``), on SQLite and (in CI) PostgreSQL.

The read builds the domain objects without validating them again (they were validated when
written), so each test checks the objects against what pydantic's full validation gives for
the same answers: equal, of the real model classes, with the same fields counted as set and
the same field order. Hand-made answers cover the edge cases: nothing optional given, no
areas served, accents, client counts with and without a category, several versions and
cycles, a version with no answers beyond the organisation.
"""

from __future__ import annotations

import gc
from datetime import UTC, timedelta

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import update

from cartography.io.store import ServiceRow, Store, SubmissionRow
from cartography.model import (
    ClientCount,
    Need,
    Organisation,
    Service,
    Site,
    Submission,
    SubmissionContent,
)

CYCLE = "2019-2020"
OTHER_CYCLE = "2020-2021"
MODELS = (Organisation, Site, Service, ClientCount, Need, SubmissionContent, Submission)


def _organisation(org_id: str, **more: str) -> Organisation:
    return Organisation(
        org_id=org_id,
        name=f"Centre francophone « {org_id} » — Île-d’Été",
        org_type="community",
        contact_name="Zoé Lévesque-Ouellet",
        email=f"{org_id}@exemple.ca",
        **more,
    )


def _full(org_id: str) -> SubmissionContent:
    """Every kind of answer, optional fields both given and left out."""
    sites = (
        Site(
            site_code="S1",
            name="Siège — rue Érié",
            address="12, rue Érié",
            postal_code="N6A 1A1",
            csduid="3539036",
            region="london",
            latitude=42.98,
            longitude=-81.25,
            precision="address",
        ),
        Site(
            site_code="S2",
            name="Antenne",
            csduid="3534011",
            region="elgin",
            latitude=42.77,
            longitude=-81.19,
            precision="postal_code",
        ),
    )
    services = (
        Service(
            service_code="A",
            name="Accueil à l’aéroport",
            category="housing",
            site_code="S1",
            language="fr_active",
            mode="in_person",
            areas_served=("3539036", "3534011"),
            capacity=120,
            description="Été : « accueil »",
            status="temporarily closed",
        ),
        Service(service_code="B", name="Logement", category="housing", language="fr_on_request", mode="virtual"),
        Service(
            service_code="C",
            name="Santé",
            category="health",
            site_code="S2",
            language="en_only",
            mode="itinerant",
            areas_served=("3539036",),
            capacity=0,
        ),
    )
    clients = (
        ClientCount(csduid="3539036", profile="permanent_resident", count=12),
        ClientCount(csduid="3534011", profile="international_student", count=0, category="health"),
    )
    needs = (
        Need(category="housing", area="3539036", clients=5, severity="high", status="unmet", comment="Délais ; coûts"),
        Need(category="health", area="elgin", clients=0, severity="low", status="met"),
    )
    return SubmissionContent(
        organisation=_organisation(org_id, phone="519 555-0100", website="https://exemple.ca", description="Aide"),
        sites=sites,
        services=services,
        clients=clients,
        needs=needs,
    )


def _validated(submission: Submission) -> Submission:
    """What full validation gives for the same answers (the reference)."""
    return Submission.model_validate(submission.model_dump())


def _all_objects(submission: Submission) -> list[BaseModel]:
    content = submission.content
    return [
        submission,
        content,
        content.organisation,
        *content.sites,
        *content.services,
        *content.clients,
        *content.needs,
    ]


def _assert_same(read: list[Submission], expected: list[Submission]) -> None:
    """``read`` equals ``expected`` object by object: same class, fields, fields set, order."""
    assert read == expected
    for got, want in zip(read, expected, strict=True):
        for mine, theirs in zip(_all_objects(got), _all_objects(want), strict=True):
            assert type(mine) is type(theirs)
            assert mine.model_fields_set == theirs.model_fields_set
            assert list(vars(mine)) == list(vars(theirs))
            assert repr(mine) == repr(theirs)
        assert got.model_dump(exclude_unset=True) == want.model_dump(exclude_unset=True)
        assert all(type(s.areas_served) is tuple for s in got.content.services)


@pytest.fixture
def filled(store: Store) -> Store:
    """Three organisations in CYCLE (one with a newer pending version, one with nothing but its
    organisation) and one in OTHER_CYCLE."""
    store.open_cycle(CYCLE, "coord")
    store.open_cycle(OTHER_CYCLE, "coord")
    store.submit(_full("org-b"), CYCLE, "membre", "réponses.xlsx")
    store.validate("org-b", CYCLE, 1, "coord")
    store.submit(_full("org-b").model_copy(update={"needs": ()}), CYCLE, "membre")  # pending, not read
    store.submit(SubmissionContent(organisation=_organisation("org-a")), CYCLE, "membre")
    store.validate("org-a", CYCLE, 1, "coord")
    store.submit(_full("org-c"), CYCLE, "membre")  # submitted only
    store.submit(_full("org-d"), OTHER_CYCLE, "membre")
    store.validate("org-d", OTHER_CYCLE, 1, "coord")
    return store


def test_validated_equals_full_validation(filled: Store) -> None:
    read = filled.validated(CYCLE)
    assert [(s.org_id, s.version) for s in read] == [("org-a", 1), ("org-b", 1)]
    _assert_same(read, [_validated(s) for s in read])
    # The validating read of one version (get) agrees too, and so do the answers as given.
    _assert_same(read, [filled.get(s.submission_id) for s in read])
    assert read[1].content == _full("org-b") and read[0].content.sites == ()
    assert read[0].content.organisation.phone == "" and read[1].content.services[1].capacity is None
    assert [s.org_id for s in filled.validated(OTHER_CYCLE)] == ["org-d"]
    assert filled.validated("2021-2022") == []


def test_times_are_in_utc_and_the_objects_stay_frozen(filled: Store) -> None:
    first = filled.validated(CYCLE)[0]
    assert first.created_at.tzinfo is not None and first.validated_at is not None
    if filled.url.startswith("sqlite"):  # SQLite hands times back naive: they are UTC
        assert first.created_at.utcoffset() == timedelta(0) == first.validated_at.utcoffset()
    assert first.validated_at.astimezone(UTC) >= first.created_at.astimezone(UTC)
    with pytest.raises(ValidationError):
        first.content.organisation.name = "Autre"
    assert hash(first) == hash(_validated(first))


def test_a_copy_with_changes_leaves_the_other_objects_alone(filled: Store) -> None:
    """Objects of one model share their (complete) set of fields set: a copy gets its own."""
    services = filled.validated(CYCLE)[1].content.services
    changed = services[0].model_copy(update={"name": "Autre"})
    assert changed.name == "Autre" and services[0].name == "Accueil à l’aéroport"
    assert services[1].model_fields_set == set(Service.model_fields)


def test_answers_stored_before_a_field_was_asked_read_as_validation_reads_them(filled: Store) -> None:
    """An organisation stored without the later fields (description, phone) and a service with
    an empty status read as validating them gives: the defaults, not counted as set; active."""
    org_b = filled.validated(CYCLE)[1]
    old_answers = {
        k: v for k, v in org_b.content.organisation.model_dump().items() if k not in ("description", "phone")
    }
    with filled.session() as session:
        session.execute(
            update(SubmissionRow).where(SubmissionRow.id == org_b.submission_id).values(organisation=old_answers)
        )
        session.execute(update(ServiceRow).where(ServiceRow.service_code == "B").values(status=""))
    read = filled.validated(CYCLE)
    organisation = read[1].content.organisation
    assert organisation.description == "" and organisation.phone == ""
    assert organisation.model_fields_set == set(old_answers)
    assert read[1].content.services[1].status == "active"
    _assert_same(read, [filled.get(s.submission_id) for s in read])


def test_answers_that_no_longer_validate_fail_as_before(filled: Store) -> None:
    """An organisation whose stored answers name an unknown field fails on reading, as the
    validating read does; the garbage collector paused during the read runs again."""
    org_b = filled.validated(CYCLE)[1]
    odd = {**org_b.content.organisation.model_dump(), "unknown": 1}
    with filled.session() as session:
        session.execute(update(SubmissionRow).where(SubmissionRow.id == org_b.submission_id).values(organisation=odd))
    with pytest.raises(ValidationError):
        filled.get(org_b.submission_id)
    with pytest.raises(ValidationError):
        filled.validated(CYCLE)
    assert gc.isenabled()


def test_the_collector_stays_as_the_caller_left_it(filled: Store) -> None:
    gc.disable()
    try:
        filled.validated(CYCLE)
        assert not gc.isenabled()
    finally:
        gc.enable()
    filled.validated(CYCLE)
    assert gc.isenabled()


def test_the_demo_store_reads_as_full_validation(demo_store: Store) -> None:
    for cycle in (CYCLE, OTHER_CYCLE):
        read = demo_store.validated(cycle)
        assert read
        _assert_same(read, [demo_store.get(s.submission_id) for s in read])
        _assert_same(read, [_validated(s) for s in read])


def test_the_models_need_nothing_model_construct_would_do() -> None:
    """The read sets each object's fields directly (what ``model_construct`` ends with): no
    model may rely on aliases, default factories, private attributes or post-init hooks."""
    for model in MODELS:
        assert model.model_config.get("frozen") and model.model_config.get("extra") == "forbid"
        assert not model.__private_attributes__ and not model.__pydantic_post_init__
        for field in model.model_fields.values():
            assert field.alias is None and field.validation_alias is None and field.default_factory is None
