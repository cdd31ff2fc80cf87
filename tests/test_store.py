"""The submission store on SQLite and (in CI) PostgreSQL: versions, validation, audit,
atomicity and concurrent submissions."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from cartography.i18n import UserError
from cartography.io.store import Store
from cartography.io.submission import check_workbook, load_demo
from cartography.io.template import fill_template, write_template


@pytest.fixture
def content(tmp_path: Path, gazetteer, demo_org):
    path = tmp_path / "gabarit.xlsx"
    write_template(path, gazetteer.municipality_names)
    fill_template(path, demo_org)
    result = check_workbook(path, gazetteer)
    assert result.ok
    return result.content


def test_versions_are_never_overwritten(store: Store, content) -> None:
    store.open_cycle("2019-2020", "coord")
    first = store.submit(content, "2019-2020", "membre")
    second = store.submit(content, "2019-2020", "membre")
    assert (first.version, second.version) == (1, 2)
    assert [s.version for s in store.submissions("2019-2020")] == [1, 2]
    assert store.get(first.submission_id).content == content


def test_one_validated_version_per_organisation_and_cycle(store: Store, content) -> None:
    store.open_cycle("2019-2020", "coord")
    store.submit(content, "2019-2020", "membre")
    store.submit(content, "2019-2020", "membre")
    store.validate("ccfl", "2019-2020", 1, "coord")
    store.validate("ccfl", "2019-2020", 2, "coord")
    statuses = {s.version: s.status for s in store.submissions("2019-2020")}
    assert statuses == {1: "submitted", 2: "validated"}
    assert store.latest_validated("ccfl").version == 2
    actions = [a["action"] for a in store.audit()]
    assert actions[:3] == ["validate", "unvalidate", "validate"]
    assert {"open_cycle", "submit", "register_organisation"} <= set(actions)
    assert all(a["actor"] and a["at"] for a in store.audit())


def test_cycle_rules(store: Store, content) -> None:
    with pytest.raises(UserError) as info:
        store.submit(content, "2019-2020", "membre")
    assert "cycle open" in info.value.message("fr")
    with pytest.raises(UserError):
        store.open_cycle("2019-2021", "coord")
    store.open_cycle("2019-2020", "coord")
    with pytest.raises(UserError):
        store.open_cycle("2019-2020", "coord")
    with pytest.raises(UserError):
        store.validate("ccfl", "2019-2020", 3, "coord")


def test_a_crash_mid_submission_leaves_nothing(store: Store, content, monkeypatch) -> None:
    store.open_cycle("2019-2020", "coord")
    before = store.counts()

    def explode(session, submission_id, content):
        from cartography.io.store import SiteRow

        session.add_all(SiteRow(submission_id=submission_id, **s.model_dump()) for s in content.sites)
        session.flush()  # sites are written...
        raise RuntimeError("power cut")  # ...then the process dies

    monkeypatch.setattr(Store, "_write_children", staticmethod(explode))
    with pytest.raises(RuntimeError):
        store.submit(content, "2019-2020", "membre")
    assert store.counts() == before


def test_two_submissions_at_the_same_moment_are_both_stored(store_url: str, content) -> None:
    Store(store_url).open_cycle("2019-2020", "coord")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    stores = {name: Store(store_url) for name in ("a", "b")}  # one engine each, like two app sessions

    def submit(author: str) -> None:
        try:
            barrier.wait(timeout=30)
            stores[author].submit(content, "2019-2020", author)
        except BaseException as exc:
            errors.append(exc)
        finally:
            stores[author].dispose()

    threads = [threading.Thread(target=submit, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    check = Store(store_url)
    subs = check.submissions("2019-2020")
    assert sorted(s.version for s in subs) == [1, 2]
    assert {s.author for s in subs} == {"a", "b"}
    check.dispose()


def test_demo_loads_validated_submissions(store: Store, gazetteer, tmp_path: Path) -> None:
    stored = load_demo(store, gazetteer, tmp_path / "demo")
    assert len(stored) >= 8
    assert all(s.status == "validated" and s.cycle == "2019-2020" for s in stored)
    status = store.status("2019-2020")
    assert all(row["validated_version"] == 1 for row in status)
    regions = {site.region for s in stored for site in s.content.sites}
    assert regions == {"london", "middlesex", "elgin", "oxford"}
    unmet = [n for s in stored for n in s.content.needs if n.status == "unmet"]
    assert len(unmet) >= 8


def test_accounts_hash_passwords_and_check_roles(store: Store, content) -> None:
    store.register_organisation("ccfl", "CCFL", "community", "coord")
    store.create_user("Marie", "un mot de passe", "member", "coord", org_id="ccfl")
    with pytest.raises(UserError):
        store.create_user("marie", "autre mot de passe", "member", "coord", org_id="ccfl")
    with pytest.raises(UserError):
        store.create_user("paul", "court", "planner", "coord")
    with pytest.raises(UserError):
        store.create_user("paul", "assez long", "member", "coord")  # a member needs an organisation
    assert store.authenticate("MARIE", "un mot de passe") == {"username": "marie", "role": "member", "org_id": "ccfl"}
    assert store.authenticate("marie", "mauvais") is None
    assert store.authenticate("personne", "x") is None
    from sqlalchemy import select

    from cartography.io.store import UserRow

    with store.session() as session:
        stored_hash = session.scalar(select(UserRow.password_hash))
    assert stored_hash.startswith("$argon2") and "un mot de passe" not in stored_hash
    actions = [a["action"] for a in store.audit()]
    assert actions.count("sign_in_failed") == 2 and "sign_in" in actions


def test_cli_users(monkeypatch, tmp_path, capsys) -> None:
    import io

    from cartography.cli import main

    monkeypatch.setenv("CARTO_DATABASE_URL", f"sqlite:///{tmp_path / 's.sqlite'}")
    monkeypatch.setattr("sys.stdin", io.StringIO("secret-assez-long\n"))
    assert main(["users", "add", "table2", "--role", "planner", "--password-stdin"]) == 0
    assert main(["users", "list", "--json"]) == 0
    assert '"table2"' in capsys.readouterr().out
    assert Store(f"sqlite:///{tmp_path / 's.sqlite'}").authenticate("table2", "secret-assez-long")
