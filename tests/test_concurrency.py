"""Concurrent load on SQLite and PostgreSQL (issue 10, item 10): eight processes submit at the
same moment through the real command line while a compile loop and two reader loops run; every
process exits normally, every version is stored once, nothing is lost."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from pathlib import Path

from cartography.io.store import Store
from cartography.io.template import fill_template, write_template
from cartography.services.demo import demo_answers

DEMO_CYCLE = "2019-2020"
BURST_CYCLE = "2020-2021"
SUBMITTERS = 8


def _child(role: str, args: tuple[str, ...], ready, go, stop, report: Path, geography) -> None:  # type: ignore[no-untyped-def]
    """One process of the load (forked, so it shares what the test process has imported).

    A submitter runs the real command line (``cartography submit``), which opens its own
    store; the compile loop and the reader open a new store every round. The exit code says
    how it went; the last error's traceback goes to ``report`` for the test to show.
    """
    code = 1
    try:
        from cartography.cli import main
        from cartography.services.compile import compile_cycle

        ready.wait(120)
        go.wait(120)
        if role == "submit":
            code = main(["submit", *args])
        else:
            rounds, store = 0, Store()
            while rounds < 2 or not stop.is_set():
                if rounds % 10 == 0:  # a new store now and then: opening must cope with the load
                    store.dispose()
                    store = Store()
                if role == "compile":
                    compile_cycle(store, geography, DEMO_CYCLE)
                else:  # as fast as it can: reads must never hold writers up
                    store.status(DEMO_CYCLE)
                    store.submissions(BURST_CYCLE)
                    store.users()
                    store.revision()
                rounds += 1
            store.dispose()
            report.write_text(str(rounds))
            code = 0
    except BaseException:  # reported to the test, which fails with it
        import traceback

        report.write_text(traceback.format_exc())
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # no finalizers: nothing inherited from the test process is touched


def _mark(comment: str, index: int) -> str:
    """A need comment as submitter ``index`` types it (each upload differs from the one before:
    the store refuses an unchanged re-submission)."""
    return f"{comment} — envoi {index}"


def _workbooks(folder: Path, gazetteer) -> list[tuple[str, Path]]:  # type: ignore[no-untyped-def]
    """One filled template per submitter, alternating two demo organisations (invented data)."""
    out = []
    orgs = demo_answers()["organisation"][:2]
    for index in range(SUBMITTERS):
        org = dict(orgs[index % len(orgs)])
        needs = [dict(n) for n in org["needs"]]
        needs[0]["comment"] = _mark(str(needs[0].get("comment", "")), index)
        org["needs"] = needs
        path = folder / f"gabarit-{org['org_id']}-{index}.xlsx"
        write_template(path, gazetteer.municipality_names, cycle=BURST_CYCLE)
        fill_template(path, org)
        out.append((org["org_id"], path))
    return out


def test_eight_submitting_processes_with_compile_and_readers(  # type: ignore[no-untyped-def]
    store_url: str, demo_store, geography, gazetteer, tmp_path, monkeypatch
):
    store = Store(store_url)
    store.open_cycle(DEMO_CYCLE, "coord")
    for sub in demo_store.validated(DEMO_CYCLE):  # something to compile, on either database
        stored = store.submit(sub.content, DEMO_CYCLE, sub.author)
        store.validate(stored.org_id, DEMO_CYCLE, stored.version, "coord")
    store.open_cycle(BURST_CYCLE, "coord")
    books = _workbooks(tmp_path, gazetteer)
    monkeypatch.setenv("CARTO_DATABASE_URL", store_url)
    monkeypatch.delenv("CARTO_DEMO", raising=False)
    store.dispose()  # no open connection is inherited by the children
    demo_store.dispose()

    context = multiprocessing.get_context("fork")
    ready = context.Barrier(SUBMITTERS + 3)
    go, stop = context.Event(), context.Event()
    jobs = [
        ("submit", (str(books[i][1]), "--cycle", BURST_CYCLE, "--author", f"proc{i}"))
        for i in range(SUBMITTERS)
    ]
    jobs += [("compile", ()), ("read", ()), ("read", ())]
    processes = []
    for index, (role, args) in enumerate(jobs):
        report = tmp_path / f"report-{index}-{role}.txt"
        process = context.Process(target=_child, args=(role, args, ready, go, stop, report, geography))
        process.start()
        processes.append((role, report, process))
    began = time.monotonic()
    try:
        go.set()
        for role, _, process in processes:
            if role == "submit":
                process.join(120)
        burst = time.monotonic() - began
        stop.set()
        for _, _, process in processes:
            process.join(120)
    finally:
        for _, _, process in processes:
            if process.is_alive():
                process.kill()
                process.join()

    failed = {
        f"{role} {report.name}": report.read_text()[-3000:] if report.exists() else process.exitcode
        for role, report, process in processes
        if process.exitcode != 0
    }
    assert failed == {}, failed
    assert all(int(report.read_text()) >= 2 for role, report, _ in processes if role != "submit")
    assert burst < 60, burst

    check = Store(store_url)
    subs = check.submissions(BURST_CYCLE)
    assert len(subs) == SUBMITTERS  # nothing lost
    assert sorted(s.author for s in subs) == sorted(f"proc{i}" for i in range(SUBMITTERS))
    orgs = {org for org, _ in books}
    for org in orgs:  # versions unique and consecutive per organisation
        assert sorted(s.version for s in subs if s.org_id == org) == list(range(1, SUBMITTERS // len(orgs) + 1))
    submits = [a for a in check.audit(500) if a["action"] == "submit" and a["detail"]["cycle"] == BURST_CYCLE]
    assert len(submits) == SUBMITTERS
    expected = {s.org_id: s.content for s in demo_store.validated(DEMO_CYCLE)}
    for s in subs:  # every row of every version stored, each with its submitter's own comment
        index = int(s.author.removeprefix("proc"))
        needs = list(expected[s.org_id].needs)
        needs[0] = needs[0].model_copy(update={"comment": _mark(needs[0].comment, index)})
        assert s.content == expected[s.org_id].model_copy(update={"needs": tuple(needs)})
    check.dispose()
