"""The submission store on SQLite and (in CI) PostgreSQL: versions, validation, audit,
atomicity and concurrent submissions."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from cartography.errors import UserError
from cartography.io.store import Store
from cartography.io.template import fill_template, write_template
from cartography.services.demo import load_demo
from cartography.services.submissions import check_workbook


@pytest.fixture
def content(tmp_path: Path, gazetteer, demo_org):
    path = tmp_path / "gabarit.xlsx"
    write_template(path, gazetteer.municipality_names)
    fill_template(path, demo_org)
    result = check_workbook(path, gazetteer)
    assert result.ok
    return result.content


def _edited(content, comment: str):  # type: ignore[no-untyped-def]
    """``content`` with its first need's comment changed (a real, small edit by the member)."""
    needs = list(content.needs)
    needs[0] = needs[0].model_copy(update={"comment": comment})
    return content.model_copy(update={"needs": tuple(needs)})


def test_versions_are_never_overwritten(store: Store, content) -> None:
    store.open_cycle("2019-2020", "coord")
    first = store.submit(content, "2019-2020", "membre")
    second = store.submit(_edited(content, "v2"), "2019-2020", "membre")
    assert (first.version, second.version) == (1, 2)
    assert [s.version for s in store.submissions("2019-2020")] == [1, 2]
    assert store.get(first.submission_id).content == content


def test_one_validated_version_per_organisation_and_cycle(store: Store, content) -> None:
    store.open_cycle("2019-2020", "coord")
    store.submit(content, "2019-2020", "membre")
    store.validate("ccfl", "2019-2020", 1, "coord")
    store.submit(_edited(content, "v2"), "2019-2020", "membre")
    store.validate("ccfl", "2019-2020", 2, "coord")
    statuses = {s.version: s.status for s in store.submissions("2019-2020")}
    assert statuses == {1: "superseded", 2: "validated"}
    assert store.latest_validated("ccfl").version == 2
    actions = [a["action"] for a in store.audit()]
    assert actions[:3] == ["validate", "unvalidate", "submit"]
    assert {"open_cycle", "submit", "register_organisation"} <= set(actions)
    assert all(a["actor"] and a["at"] for a in store.audit())


def test_a_new_organisation_name_takes_effect_only_when_validated(store: Store, content) -> None:
    store.open_cycle("2019-2020", "coord")
    first = store.submit(_edited(content, "v1"), "2019-2020", "membre")
    registered = {o["org_id"]: o["name"] for o in store.organisations()}[first.org_id]
    renamed = content.model_copy(
        update={"organisation": content.organisation.model_copy(update={"name": "[lien](https://x.example)"})}
    )
    second = store.submit(renamed, "2019-2020", "membre")
    assert {o["org_id"]: o["name"] for o in store.organisations()}[first.org_id] == registered
    store.validate(first.org_id, "2019-2020", second.version, "coord")
    assert {o["org_id"]: o["name"] for o in store.organisations()}[first.org_id] == "[lien](https://x.example)"
    assert any(a["action"] == "rename_organisation" and a["actor"] == "coord" for a in store.audit())


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
            stores[author].submit(_edited(content, author), "2019-2020", author)
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
    # Every demo cycle (the COMPARE work adds 2020-2021), each version validated.
    assert all(s.status == "validated" for s in stored) and "2019-2020" in {s.cycle for s in stored}
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


# -- issue 10, item 3: the demo has a store of its own ---------------------------------------


def _real_data(store: Store) -> None:
    store.register_organisation("vrai", "Un vrai organisme", "community", "coord")
    store.create_user("marie", "un vrai mot de passe", "member", "coord", org_id="vrai")


def test_demo_refused_in_a_store_with_real_data(store: Store, gazetteer, tmp_path: Path) -> None:
    from cartography.services.demo import create_demo_accounts, demo_answers

    _real_data(store)
    before = store.counts()
    with pytest.raises(UserError) as info:
        load_demo(store, gazetteer, tmp_path / "demo")
    assert info.value.key == "guard.demo.refused"
    assert "démonstration" in info.value.message("fr") and "demonstration" in info.value.message("en")
    with pytest.raises(UserError):
        create_demo_accounts(store, demo_answers())
    assert store.counts() == before and not store.is_demo()
    assert "coordination" not in {u["username"] for u in store.users()}


def test_demo_store_is_flagged_and_refuses_foreign_items(demo_store_copy, gazetteer, tmp_path: Path) -> None:
    assert demo_store_copy.is_demo()
    demo_store_copy.register_organisation("vrai", "Un vrai organisme", "community", "coord")
    with pytest.raises(UserError) as info:
        load_demo(demo_store_copy, gazetteer, tmp_path / "demo")
    assert info.value.key == "guard.demo.refused_foreign" and "vrai" in info.value.message("en")


def _cli(argv: list[str], capsys) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    from cartography.cli import main

    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_demo_uses_its_own_store_and_never_a_real_one(monkeypatch, tmp_path: Path, capsys) -> None:
    from cartography.paths import data_dir

    real_url = f"sqlite:///{tmp_path / 'real.sqlite'}"
    real = Store(real_url)
    _real_data(real)
    before = real.counts()
    monkeypatch.setenv("CARTO_DATABASE_URL", real_url)
    for argv in (["demo"], ["demo", "--if-empty"]):
        code, _, err = _cli(argv, capsys)
        assert code == 1 and "démonstration" in err and "demonstration" in err
        assert real.counts() == before
    monkeypatch.delenv("CARTO_DATABASE_URL")
    code, out, _ = _cli(["demo", "--if-empty"], capsys)
    assert code == 0 and "store.sqlite" in out
    demo = Store(f"sqlite:///{data_dir() / 'demo' / 'store.sqlite'}")
    assert demo.is_demo() and len(demo.validated("2019-2020")) >= 8
    assert "coordination" in {u["username"] for u in demo.users()}
    assert not (data_dir() / "store").exists()  # the real store was never opened
    code, out, _ = _cli(["demo", "--if-empty"], capsys)
    assert code == 0 and len(demo.submissions("2019-2020")) == len(demo.validated("2019-2020"))


def test_default_url_names_the_demo_store_only_when_asked(monkeypatch) -> None:
    from cartography.io.store import default_url, demo_url
    from cartography.paths import data_dir

    assert default_url() == f"sqlite:///{data_dir() / 'store' / 'cartographie.sqlite'}"
    monkeypatch.setenv("CARTO_DEMO", "1")
    assert default_url() == demo_url() == f"sqlite:///{data_dir() / 'demo' / 'store.sqlite'}"
    monkeypatch.setenv("CARTO_DATABASE_URL", "sqlite:////elsewhere.sqlite")
    assert default_url() == "sqlite:////elsewhere.sqlite"


def _fake_checkout(tmp_path: Path) -> tuple[Path, Path]:
    """scripts/app.sh in a copy of the checkout whose ``cartography serve`` only records the store."""
    import shutil

    root = Path(__file__).resolve().parents[1]
    fake = tmp_path / "checkout"
    (fake / "scripts").mkdir(parents=True)
    (fake / ".venv" / "bin").mkdir(parents=True)
    shutil.copy(root / "scripts" / "app.sh", fake / "scripts" / "app.sh")
    (fake / "scripts" / "_venv.sh").write_text('set -euo pipefail\ncd "$(dirname "${BASH_SOURCE[0]}")/.."\n')
    log = tmp_path / "served.txt"
    cli = fake / ".venv" / "bin" / "cartography"
    cli.write_text(
        "#!/usr/bin/env bash\n"
        'if [ "$1" = serve ]; then echo "${CARTO_DATABASE_URL:-}|${CARTO_DEMO:-}" > ' + str(log) + "; exit 0; fi\n"
        f'exec {root / ".venv" / "bin" / "cartography"} "$@"\n'
    )
    cli.chmod(0o755)
    return fake / "scripts" / "app.sh", log


def test_app_sh_serves_the_demo_store_and_adds_nothing_to_a_real_one(tmp_path: Path) -> None:
    import os
    import subprocess

    from cartography.io.store import default_url
    from cartography.paths import data_dir

    script, log = _fake_checkout(tmp_path)
    # A real store already at the default place, and another one named by CARTO_DATABASE_URL.
    default_real = Store(default_url())
    _real_data(default_real)
    named_url = f"sqlite:///{tmp_path / 'named.sqlite'}"
    named = Store(named_url)
    _real_data(named)
    before = (default_real.counts(), named.counts())
    env = {k: v for k, v in os.environ.items() if k not in ("CARTO_DATABASE_URL", "CARTO_DEMO")}
    run = subprocess.run(
        ["bash", str(script)],
        env={**env, "CARTO_DATABASE_URL": named_url},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert log.read_text().strip() == f"{named_url}|"  # served as it is
    assert (default_real.counts(), named.counts()) == before
    run = subprocess.run(["bash", str(script)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert log.read_text().strip() == "|1"  # CARTO_DEMO: the app serves the demo store
    demo = Store(f"sqlite:///{data_dir() / 'demo' / 'store.sqlite'}")
    assert demo.is_demo() and demo.validated("2019-2020")
    assert (default_real.counts(), named.counts()) == before
    assert "coordination" not in {u["username"] for u in default_real.users()}


# -- issue 10, item 9: sign-in throttling ------------------------------------------------------


def test_five_failures_lock_the_account_until_the_coordinator_unlocks(store: Store) -> None:
    from cartography.io.store import LOCK_AFTER

    store.create_user("paul", "le bon mot de passe", "planner", "coord")
    for _ in range(LOCK_AFTER):
        assert store.authenticate("paul", "mauvais") is None
    with pytest.raises(UserError) as info:
        store.authenticate("Paul", "le bon mot de passe")  # even the right password
    assert info.value.key == "guard.sign_in.locked" and info.value.fields["minutes"] == 15
    assert "15 minute" in info.value.message("fr") and "15 more minute" in info.value.message("en")
    assert [row["username"] for row in store.locked_accounts()] == ["paul"]
    assert store.unlock_user("paul", "coord") is True
    assert store.authenticate("paul", "le bon mot de passe")["username"] == "paul"
    assert store.locked_accounts() == []
    actions = [a["action"] for a in store.audit()]
    assert {"lock_account", "sign_in_locked", "unlock_account"} <= set(actions)
    with pytest.raises(UserError):
        store.unlock_user("personne", "coord")


def test_lock_ends_after_fifteen_minutes_and_old_failures_are_forgotten(store: Store, monkeypatch) -> None:
    from datetime import timedelta

    import cartography.io.store as store_module

    store.create_user("paul", "le bon mot de passe", "planner", "coord")
    start = store_module._now()
    clock = {"now": start}
    monkeypatch.setattr(store_module, "_now", lambda: clock["now"])
    for _ in range(4):
        assert store.authenticate("paul", "mauvais") is None
    clock["now"] = start + timedelta(minutes=16)  # the window is over: four old failures forgotten
    for _ in range(4):
        assert store.authenticate("paul", "mauvais") is None
    assert store.authenticate("paul", "le bon mot de passe") is not None  # still not locked
    for _ in range(5):
        store.authenticate("paul", "mauvais")
    clock["now"] += timedelta(minutes=10)
    with pytest.raises(UserError) as info:
        store.authenticate("paul", "le bon mot de passe")
    assert info.value.fields["minutes"] == 5
    clock["now"] += timedelta(minutes=5, seconds=1)
    assert store.authenticate("paul", "le bon mot de passe") is not None


def test_unknown_names_cost_the_same_time_and_answer_the_same_way(store: Store) -> None:
    import time

    store.create_user("paul", "le bon mot de passe", "planner", "coord")
    store.authenticate("personne", "x")  # the dummy hash is made once per process

    def cost(name: str) -> float:
        times = []
        for _ in range(3):
            began = time.perf_counter()
            assert store.authenticate(name, "mauvais") is None
            times.append(time.perf_counter() - began)
        return sorted(times)[1]

    known, unknown = cost("paul"), cost("inconnu")
    assert unknown > 0.5 * known, (known, unknown)
    for _ in range(2):  # five failures for an unknown name lock it too: no enumeration by answer
        store.authenticate("inconnu", "mauvais")
    with pytest.raises(UserError):
        store.authenticate("inconnu", "mauvais")


def test_control_characters_never_reach_the_audit_log(store: Store) -> None:
    hostile = "admin\n2026-01-01 sign_in coordination\x1b[31m\u202e\x00" + "x" * 500
    assert store.authenticate(hostile, "x") is None
    entry = store.audit(limit=1)[0]
    for text in (entry["actor"], entry["entity_id"]):
        assert not any(ch in text for ch in "\n\r\x1b\x00\u202e")
        assert len(text) <= 120
    assert entry["action"] == "sign_in_failed"
    with pytest.raises(UserError):
        store.create_user("evil\nname", "assez long mot", "planner", "coord")


def test_cli_users_unlock(monkeypatch, tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    monkeypatch.setenv("CARTO_DATABASE_URL", url)
    store = Store(url)
    store.create_user("paul", "le bon mot de passe", "planner", "coord")
    for _ in range(5):
        store.authenticate("paul", "mauvais")
    code, out, _ = _cli(["users", "unlock", "PAUL"], capsys)
    assert code == 0 and "débloqué" in out and "unlocked" in out
    assert store.authenticate("paul", "le bon mot de passe") is not None
    code, _, err = _cli(["users", "unlock", "personne"], capsys)
    assert code == 1 and "personne" in err


# -- issue 10, item 10: reads never take the write lock; a busy store is a message -------------


def _hold_write_lock(url: str):  # type: ignore[no-untyped-def]
    import sqlite3

    holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE lock_holder (x INTEGER)")  # rolled back by the caller
    return holder


def test_sqlite_reads_do_not_wait_for_a_writer(tmp_path: Path, content) -> None:
    import time

    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    store = Store(url)
    store.open_cycle("2019-2020", "coord")
    store.submit(content, "2019-2020", "membre")
    holder = _hold_write_lock(url)
    try:
        began = time.perf_counter()
        assert [c.code for c in store.cycles()] == ["2019-2020"]
        assert len(store.submissions("2019-2020")) == 1 and store.revision() > 0
        assert Store(url).users() == []  # opening an up-to-date store takes no lock either
        assert time.perf_counter() - began < 2
    finally:
        holder.rollback()
        holder.close()


def test_a_busy_store_gives_a_clear_message(tmp_path: Path, monkeypatch) -> None:
    import time

    import cartography.io.store as store_module

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_SECONDS", 0.2, raising=False)
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    store = Store(url)
    store.busy_seconds = 1.0
    holder = _hold_write_lock(url)
    try:
        began = time.perf_counter()
        with pytest.raises(UserError) as info:
            store.open_cycle("2019-2020", "coord")
        assert time.perf_counter() - began < 10
    finally:
        holder.rollback()
        holder.close()
    assert info.value.key == "guard.error.busy"
    assert "occupée" in info.value.message("fr") and "busy" in info.value.message("en")
    store.open_cycle("2019-2020", "coord")  # once free, the same call goes through
    assert [c.code for c in store.cycles()] == ["2019-2020"]


def test_author_names_are_bounded_on_every_database(store: Store, content) -> None:
    store.open_cycle("2019-2020", "coord")
    before = store.counts()
    for author in ("a" * 121, "x\ny", ""):
        with pytest.raises(UserError) as info:
            store.submit(content, "2019-2020", author)
        assert info.value.key == "guard.error.actor"
    assert store.counts() == before
    assert store.submit(content, "2019-2020", "a" * 120).author == "a" * 120


def _store_at_revision_0001(url: str, author: str) -> None:
    """A store as the previous release left it: schema 0001 and one version by ``author``."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from cartography.io.store import MIGRATIONS

    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO organisations (org_id, name, org_type, created_at) VALUES ('ccfl', 'CCFL', 'community', "
                "'2026-01-01 00:00:00');"
            )
        )
        connection.execute(
            text(
                "INSERT INTO cycles (code, status, opened_at, opened_by) "
                "VALUES ('2019-2020', 'open', '2026-01-01', 'c')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO submissions (org_id, cycle, version, status, author, created_at, source_name, "
                "organisation) VALUES ('ccfl', '2019-2020', 1, 'validated', :author, '2026-01-01', '', '{}')"
            ),
            {"author": author},
        )
    engine.dispose()


def test_upgrading_an_old_store_flags_only_pure_demo_data_as_demo(tmp_path: Path) -> None:
    demo_url = f"sqlite:///{tmp_path / 'old-demo.sqlite'}"
    real_url = f"sqlite:///{tmp_path / 'old-real.sqlite'}"
    _store_at_revision_0001(demo_url, "demo:ccfl")
    _store_at_revision_0001(real_url, "marie")
    assert Store(demo_url).is_demo() is True
    assert Store(real_url).is_demo() is False
    assert Store(real_url).rounding_salt() != Store(demo_url).rounding_salt()


def test_a_long_or_odd_file_name_is_stored_as_a_label(store: Store, content) -> None:
    # The upload's file name lands in a 255-character column; on PostgreSQL a longer one
    # used to fail the whole submission.
    store.open_cycle("2019-2020", "coord")
    name = "gabarit\n" + "é" * 400 + ".xlsx"
    stored = store.submit(content, "2019-2020", "membre", name)
    kept = store.get(stored.submission_id).source_name
    assert len(kept) <= 255 and "\n" not in kept and kept.startswith("gabarit?é")


# -- unchanged re-submissions, superseded versions, accounts, new cycles (issue 11, 13) ------


def test_an_unchanged_resubmission_is_refused_and_changes_nothing(store: Store, content, gazetteer, tmp_path) -> None:
    from cartography.services.submissions import submit_workbook

    store.open_cycle("2019-2020", "coord")
    store.submit(content, "2019-2020", "membre", "formulaire")
    before = store.counts()
    with pytest.raises(UserError) as info:
        store.submit(content, "2019-2020", "autre", "formulaire")  # a second click, or a colleague
    assert info.value.key == "adminform.error.unchanged" and info.value.fields["version"] == 1
    assert "Rien n'a changé" in info.value.message("fr") and "Nothing changed" in info.value.message("en")
    # The member's path from a workbook too: the same answers typed again in a new file.
    path = tmp_path / "encore.xlsx"
    write_template(path, gazetteer.municipality_names)
    from cartography.io.template import content_to_answers

    fill_template(path, content_to_answers(content, gazetteer.municipality_names))
    with pytest.raises(UserError) as again:
        submit_workbook(store, path, "2019-2020", "membre", gazetteer)
    assert again.value.key == "adminform.error.unchanged"
    assert store.counts() == before
    # One changed comment is a change; and identical answers in another cycle are a new start.
    assert store.submit(_edited(content, "corrigé"), "2019-2020", "membre").version == 2
    store.open_cycle("2020-2021", "coord")
    assert store.submit(content, "2020-2021", "membre").version == 1


def test_a_newer_version_supersedes_and_only_the_newest_can_be_validated(store: Store, content) -> None:
    store.open_cycle("2019-2020", "coord")
    store.submit(content, "2019-2020", "membre")
    store.submit(_edited(content, "v2"), "2019-2020", "membre")

    def statuses() -> dict[int, str]:
        return {s.version: s.status for s in store.submissions("2019-2020")}

    assert statuses() == {1: "superseded", 2: "submitted"}
    assert [s.version for s in store.pending("2019-2020")] == [2]
    before = store.counts()
    with pytest.raises(UserError) as info:
        store.validate("ccfl", "2019-2020", 1, "coord")
    assert info.value.key == "adminform.error.superseded" and info.value.fields["newest"] == 2
    assert store.counts() == before
    store.validate("ccfl", "2019-2020", 2, "coord")
    assert store.pending("2019-2020") == []
    # A new upload waits beside the validated one, which stays in force until replaced.
    store.submit(_edited(content, "v3"), "2019-2020", "membre")
    assert statuses() == {1: "superseded", 2: "validated", 3: "submitted"}
    store.validate("ccfl", "2019-2020", 2, "coord")  # validating it again changes nothing
    assert statuses() == {1: "superseded", 2: "validated", 3: "submitted"}
    store.validate("ccfl", "2019-2020", 3, "coord")
    assert statuses() == {1: "superseded", 2: "superseded", 3: "validated"}
    assert [a["action"] for a in store.audit()][:2] == ["validate", "unvalidate"]
    assert any(a["action"] == "supersede" for a in store.audit())


def test_upgrading_marks_replaced_pending_versions_superseded(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    _store_at_revision_0001(url, "marie")  # version 1, validated
    engine = create_engine(url)
    with engine.begin() as connection:
        for version in (2, 3):
            connection.execute(
                text(
                    "INSERT INTO submissions (org_id, cycle, version, status, author, created_at, source_name, "
                    "organisation) VALUES ('ccfl', '2019-2020', :v, 'submitted', 'marie', '2026-01-02', '', '{}')"
                ),
                {"v": version},
            )
    engine.dispose()
    upgraded = Store(url)
    with upgraded.session(write=False) as session:
        rows = session.execute(text("SELECT version, status FROM submissions ORDER BY version")).all()
    assert [tuple(r) for r in rows] == [(1, "validated"), (2, "superseded"), (3, "submitted")]
    assert all(u["disabled"] is False for u in upgraded.users())


def test_a_disabled_account_cannot_sign_in_and_the_last_coordinator_stays(store: Store) -> None:
    store.register_organisation("ccfl", "CCFL", "community", "coord")
    store.create_user("chef", "mot de passe chef", "coordinator", "setup")
    store.create_user("marie", "mot de passe marie", "member", "chef", org_id="ccfl")
    store.set_disabled("marie", True, "chef")
    assert not store.is_enabled("marie") and store.is_enabled("chef")
    with pytest.raises(UserError) as info:
        store.authenticate("marie", "mot de passe marie")
    assert info.value.key == "adminform.sign_in.disabled"
    assert store.authenticate("marie", "mauvais") is None  # no hint without the password
    assert {u["username"]: u["disabled"] for u in store.users()} == {"chef": False, "marie": True}
    store.set_disabled("marie", False, "chef")
    assert store.authenticate("marie", "mot de passe marie")["username"] == "marie"
    before = store.counts()
    with pytest.raises(UserError) as last:
        store.set_disabled("chef", True, "chef")
    assert last.value.key == "adminform.error.last_coordinator"
    assert store.counts() == before
    store.create_user("adjointe", "mot de passe adjointe", "coordinator", "chef")
    store.set_disabled("chef", True, "adjointe")  # another active coordinator remains
    with pytest.raises(UserError):
        store.set_disabled("adjointe", True, "adjointe")
    actions = [(a["action"], a["entity_id"], a["actor"]) for a in store.audit()]
    assert ("disable_user", "marie", "chef") in actions and ("enable_user", "marie", "chef") in actions
    assert ("disable_user", "chef", "adjointe") in actions
    assert ("sign_in_disabled", "marie", "marie") in actions


def test_a_coordinator_resets_a_password_shown_once(store: Store) -> None:
    store.create_user("paul", "ancien mot de passe", "planner", "chef")
    for _ in range(5):
        store.authenticate("paul", "faux")  # locked out
    drawn = store.reset_password("paul", "chef")
    assert len(drawn) == 16 and drawn != store.reset_password("paul", "chef")  # random each time
    drawn = store.reset_password("paul", "chef")
    assert store.authenticate("paul", "ancien mot de passe") is None
    assert store.authenticate("paul", drawn)["username"] == "paul"  # and the lock is lifted
    assert store.reset_password("paul", "chef", "tapé par la coordination") == "tapé par la coordination"
    assert store.authenticate("paul", "tapé par la coordination") is not None
    with pytest.raises(UserError):
        store.reset_password("paul", "chef", "court")
    with pytest.raises(UserError):
        store.reset_password("personne", "chef")
    resets = [a for a in store.audit() if a["action"] == "reset_password"]
    assert len(resets) == 4 and [a["detail"]["generated"] for a in resets] == [False, True, True, True]
    assert not any(drawn in str(a["detail"]) or "tapé" in str(a["detail"]) for a in store.audit())


def test_a_new_cycle_prefills_each_member_from_its_last_validated_version(
    store: Store, content, gazetteer, tmp_path: Path
) -> None:
    from datetime import date

    store.open_cycle("2019-2020", "coord", date(2019, 4, 1), date(2020, 3, 31))
    store.submit(content, "2019-2020", "membre")
    store.validate("ccfl", "2019-2020", 1, "coord")
    store.submit(_edited(content, "pas validée"), "2019-2020", "membre")  # pending, not a start
    with pytest.raises(UserError) as info:
        store.open_cycle("2020-2021", "coord", date(2021, 3, 31), date(2020, 4, 1))
    assert info.value.key == "adminform.error.cycle_dates"
    store.open_cycle("2020-2021", "coord", date(2020, 4, 1), date(2021, 3, 31))
    new = next(c for c in store.cycles() if c.code == "2020-2021")
    assert (new.starts_on, new.ends_on) == (date(2020, 4, 1), date(2021, 3, 31))
    opened = next(a for a in store.audit() if a["action"] == "open_cycle")
    assert opened["detail"]["prefilled_from"] == {"ccfl": ["2019-2020", 1]}
    start = store.prefill_for("ccfl", "2020-2021")
    assert (start.cycle, start.version, start.content) == ("2019-2020", 1, content)
    assert store.prefill_for("autre", "2020-2021") is None
    # The template for the new cycle carries those answers and reads back to the same content.
    path = tmp_path / "gabarit-2020.xlsx"
    write_template(path, gazetteer.municipality_names, cycle="2020-2021", content=start.content)
    assert check_workbook(path, gazetteer).content == content
    first = store.submit(check_workbook(path, gazetteer).content, "2020-2021", "membre")
    assert store.prefill_for("ccfl", "2020-2021").submission_id == first.submission_id  # then its own work
    # Asked for the older cycle, the start is never taken from a later one.
    store.validate("ccfl", "2020-2021", 1, "coord")
    assert store.latest_validated("ccfl", up_to="2019-2020").cycle == "2019-2020"


def test_cli_users_reset_password_disable_enable(monkeypatch, tmp_path: Path, capsys) -> None:
    import io

    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    monkeypatch.setenv("CARTO_DATABASE_URL", url)
    store = Store(url)
    store.create_user("chef", "mot de passe chef", "coordinator", "setup")
    store.create_user("paul", "ancien mot de passe", "planner", "chef")
    code, out, _ = _cli(["users", "reset-password", "paul"], capsys)
    drawn = out.strip().splitlines()[-1]
    assert code == 0 and "une seule fois" in out and len(drawn) == 16
    assert store.authenticate("paul", drawn) is not None
    monkeypatch.setattr("sys.stdin", io.StringIO("tapé au clavier\n"))
    assert _cli(["users", "reset-password", "paul", "--password-stdin"], capsys)[0] == 0
    assert store.authenticate("paul", "tapé au clavier") is not None
    code, out, _ = _cli(["users", "disable", "paul"], capsys)
    assert code == 0 and "désactivé" in out and not store.is_enabled("paul")
    code, _, err = _cli(["users", "disable", "chef"], capsys)
    assert code == 1 and "dernier compte de coordination" in err
    assert _cli(["users", "enable", "paul"], capsys)[0] == 0 and store.is_enabled("paul")
