"""The command-line contract for template, submit, cycle, demo and serve (DESIGN.md section 7, issue 12).

Everything here goes through the entry points a member or the coordinator uses,
``cartography.cli.main`` (exit code, stdout, stderr) or the installed ``cartography`` program,
on a throw-away SQLite store named by ``CARTO_DATABASE_URL``. The expected answers come from
``data/demo/demo.toml`` and can be checked by hand: the first demo organisation is ``ccfl``
(« Carrefour communautaire francophone de London (CCFL) ») with 2 sites, 7 services, 7 client
rows and 4 needs; the demo holds 9 organisations and the cycles 2019-2020 and 2020-2021.
"""

from __future__ import annotations

import copy
import importlib
import json
import os
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cartography import cli
from cartography.io.store import Store
from cartography.io.template import fill_template
from cartography.paths import project_root

CYCLE = "2019-2020"
CCFL = "Carrefour communautaire francophone de London (CCFL)"
SHEETS = ["Instructions", "Organisme", "Lieux", "Services", "Clients", "Besoins", "Listes"]
PROGRAM = Path(sys.executable).with_name("cartography")


def _plain(text: str) -> str:
    """``text`` with French typography's no-break spaces made ordinary, for readable assertions."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``cartography ARGV`` in this process: exit code, stdout, stderr."""
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, _plain(captured.out), _plain(captured.err)


def _says(text: str, french: str, english: str) -> None:
    """``text`` holds the French message, then the English one on an ``[EN]`` line after it."""
    assert french in text, text
    assert f"[EN] {english}" in text, text
    assert text.index(french) < text.index(f"[EN] {english}")


def _status(capsys: pytest.CaptureFixture[str], cycle: str = CYCLE) -> dict[str, dict]:
    """``cycle status --json``, one entry per organisation code."""
    code, out, err = _run(["cycle", "status", cycle, "--json"], capsys)
    assert (code, err) == (0, "")
    document = json.loads(out)  # one JSON document and nothing else on stdout
    assert document["cycle"] == cycle
    return {row["org_id"]: row for row in document["organisations"]}


@pytest.fixture(autouse=True)
def _one_geography(geography, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands read the shared geography once per session instead of once per call (speed only).

    The geography is read-only and the same files either way; ``load_geography`` is replaced
    where the command line finds it (the workflow layer once it exists, else the IO module).
    """
    for module in ("cartography.services.workspace", "cartography.io.geo_source"):
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        monkeypatch.setattr(f"{module}.load_geography", lambda *args, **kwargs: geography)


@pytest.fixture(scope="module")
def ccfl_answers() -> dict:
    """The first demo organisation's answers, read straight from ``data/demo/demo.toml`` (invented data)."""
    with (project_root() / "data" / "demo" / "demo.toml").open("rb") as handle:
        first = tomllib.load(handle)["organisation"][0]
    assert first["org_id"] == "ccfl" and first["name"] == CCFL
    return first


@pytest.fixture
def cli_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty SQLite store that every command of the test uses."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("CARTO_DATABASE_URL", url)
    return url


@pytest.fixture
def opened(cli_store: str, capsys: pytest.CaptureFixture[str]) -> str:
    """The store with cycle 2019-2020 open."""
    assert _run(["cycle", "open", CYCLE, "--author", "coord"], capsys)[0] == 0
    return cli_store


def _filled(tmp_path: Path, answers: dict, capsys: pytest.CaptureFixture[str], name: str) -> Path:
    """A template written by ``cartography template`` and typed in with ``answers``, as a member would."""
    path = tmp_path / name
    assert _run(["template", "-o", str(path), "--cycle", CYCLE], capsys)[0] == 0
    fill_template(path, answers)
    return path


# -- template ------------------------------------------------------------------------------


def test_template_writes_a_workbook_with_every_sheet(cli_store: str, tmp_path: Path, gazetteer, capsys) -> None:
    path = tmp_path / "gabarit.xlsx"
    code, out, err = _run(["template", "-o", str(path), "--cycle", CYCLE], capsys)
    assert (code, err) == (0, "")
    _says(out, f"Gabarit écrit : {path}", f"Template written: {path}")
    book = load_workbook(path)
    assert book.sheetnames == SHEETS
    assert book["Instructions"]["A1"].value == f"Gabarit de présentation — cycle {CYCLE}"
    offered = {cell.value for cell in book["Listes"]["A"][1:] if cell.value}  # municipalities, then communities
    municipalities = set(gazetteer.municipality_names.values())
    assert len(municipalities) == 28 and municipalities <= offered
    assert {"London", "St. Thomas", "Woodstock"} <= offered
    assert book["Organisme"]["B2"].value is None  # blank: nothing of anyone's answers


def test_template_without_cycle_and_with_the_long_option(cli_store: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "vierge.xlsx"
    assert _run(["template", "--output", str(path)], capsys)[0] == 0
    assert load_workbook(path)["Instructions"]["A1"].value == "Gabarit de présentation — cycle —"


def test_template_for_an_organisation_never_validated_is_refused(cli_store: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "pre.xlsx"
    code, out, err = _run(["template", "-o", str(path), "--org", "ccfl"], capsys)
    assert (code, out) == (1, "")
    _says(
        err,
        "Aucune réponse validée pour l'organisme « ccfl » : téléchargez le gabarit vierge.",
        "No validated answers for organisation 'ccfl': download the blank template.",
    )
    assert "Traceback" not in err and not path.exists()


# -- cycle open / status --------------------------------------------------------------------


def test_cycle_open_then_status_lists_it(cli_store: str, capsys) -> None:
    code, out, err = _run(["cycle", "open", CYCLE, "--author", "coord"], capsys)
    assert (code, err) == (0, "")
    _says(out, f"Cycle {CYCLE} ouvert.", f"Cycle {CYCLE} opened.")
    assert [c.code for c in Store(cli_store).cycles()] == [CYCLE]
    code, out, err = _run(["cycle", "status", CYCLE], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[0].split() == ["Organisme", "Versions", "Version", "validée"]
    _says(
        out,
        "Taux d'utilisation : 0 organisme(s) sur 0 ont soumis ; 0 validé(s).",
        "Participation: 0 of 0 organisation(s) submitted; 0 validated.",
    )
    assert _status(capsys) == {}
    assert _run(["cycle", "list", CYCLE], capsys)[0] == 0  # the alias


def test_cycle_open_refuses_a_second_opening_and_a_malformed_code(opened: str, capsys) -> None:
    before = Store(opened).counts()
    code, out, err = _run(["cycle", "open", CYCLE], capsys)
    assert (code, out) == (1, "")
    _says(err, f"Le cycle {CYCLE} est déjà ouvert.", f"Cycle {CYCLE} is already open.")
    code, out, err = _run(["cycle", "open", "2019"], capsys)
    assert (code, out) == (1, "")
    _says(
        err,
        "Cycle « 2019 » mal formé : forme attendue 2019-2020 (deux années consécutives).",
        "Malformed cycle '2019': expected form 2019-2020 (two consecutive years).",
    )
    assert Store(opened).counts() == before


def test_cycle_open_with_the_period_it_covers(cli_store: str, capsys) -> None:
    code, _out, err = _run(["cycle", "open", CYCLE, "--debut", "2026-04-01", "--fin", "2027-03-31"], capsys)
    assert (code, err) == (0, "")
    (cycle,) = Store(cli_store).cycles()
    assert (cycle.starts_on, cycle.ends_on) == (date(2026, 4, 1), date(2027, 3, 31))


def test_cycle_open_refuses_a_malformed_or_reversed_period(cli_store: str, capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        _run(["cycle", "open", CYCLE, "--debut", "01/04/2026"], capsys)
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert "valeur invalide pour --debut/--starts : '01/04/2026' (attendu : une date AAAA-MM-JJ" in _plain(err)
    assert "Traceback" not in err
    code, out, err = _run(["cycle", "open", CYCLE, "--debut", "2027-03-31", "--fin", "2026-04-01"], capsys)
    assert (code, out) == (1, "")
    assert "2027-03-31" in err and "Traceback" not in err
    assert Store(cli_store).cycles() == []  # nothing opened


# -- submit, cycle validate, pre-filled template -----------------------------------------------


def test_submit_needs_an_open_cycle(cli_store: str, tmp_path: Path, ccfl_answers: dict, capsys) -> None:
    path = _filled(tmp_path, ccfl_answers, capsys, "ccfl.xlsx")
    before = Store(cli_store).counts()
    code, out, err = _run(["submit", str(path), "--cycle", CYCLE], capsys)
    assert (code, out) == (1, "")
    _says(err, f"Le cycle {CYCLE} n'existe pas.", f"Cycle {CYCLE} does not exist.")
    assert f"cartography cycle open {CYCLE}" in err  # says what to do
    assert Store(cli_store).counts() == before


def test_submit_stores_pending_versions_and_cycle_validate_accepts_one(
    opened: str, tmp_path: Path, ccfl_answers: dict, capsys
) -> None:
    first = _filled(tmp_path, ccfl_answers, capsys, "ccfl.xlsx")
    edited = copy.deepcopy(ccfl_answers)
    edited["needs"][0]["clients"] = 50  # was 48
    second = _filled(tmp_path, edited, capsys, "ccfl-v2.xlsx")
    for version, path in ((1, first), (2, second)):
        code, out, err = _run(["submit", str(path), "--cycle", CYCLE, "--author", "membre"], capsys)
        assert (code, err) == (0, "")
        _says(
            out,
            f"Soumission enregistrée : {CCFL}, cycle {CYCLE}, version {version} (à valider par la coordination).",
            f"Submission stored: {CCFL}, cycle {CYCLE}, version {version} (to be validated by the coordinator).",
        )
    row = _status(capsys)["ccfl"]
    assert (row["name"], row["versions"], row["latest_version"], row["validated_version"]) == (CCFL, 2, 2, None)
    stored = Store(opened).submissions(CYCLE, "ccfl")
    assert [(s.version, s.status, s.author) for s in stored] == [
        (1, "superseded", "membre"),
        (2, "submitted", "membre"),
    ]

    code, out, err = _run(["cycle", "validate", CYCLE, "ccfl", "2", "--author", "coord"], capsys)
    assert (code, err) == (0, "")
    _says(
        out,
        f"Version 2 de « {CCFL} » validée pour le cycle {CYCLE}.",
        f"Version 2 of '{CCFL}' validated for cycle {CYCLE}.",
    )
    assert _status(capsys)["ccfl"]["validated_version"] == 2
    code, out, err = _run(["cycle", "validate", CYCLE, "ccfl", "1", "--author", "coord"], capsys)
    assert (code, out) == (1, "")
    _says(
        err,
        "La version 1 de « ccfl » a été remplacée par une version plus récente (version 2)",
        "Version 1 of 'ccfl' was superseded by a newer version (version 2): it can no longer be validated.",
    )
    assert _status(capsys)["ccfl"]["validated_version"] == 2
    code, out, _ = _run(["cycle", "status", CYCLE], capsys)
    assert code == 0 and f"{CCFL}   " in out
    assert out.splitlines()[1].split()[-2:] == ["2", "2"]  # versions, validated version
    _says(
        out,
        "Taux d'utilisation : 1 organisme(s) sur 1 ont soumis ; 1 validé(s).",
        "Participation: 1 of 1 organisation(s) submitted; 1 validated.",
    )


def test_submitting_the_same_answers_again_makes_no_new_version(
    opened: str, tmp_path: Path, ccfl_answers: dict, capsys
) -> None:
    path = _filled(tmp_path, ccfl_answers, capsys, "ccfl.xlsx")
    assert _run(["submit", str(path), "--cycle", CYCLE], capsys)[0] == 0
    before_status, before_counts = _status(capsys), Store(opened).counts()
    code, out, err = _run(["submit", str(path), "--cycle", CYCLE], capsys)
    assert (code, out) == (1, "")
    _says(
        err,
        f"Rien n'a changé depuis la version 1 du cycle {CYCLE} : aucune nouvelle version n'est créée.",
        f"Nothing changed since version 1 of cycle {CYCLE}: no new version is created.",
    )
    assert _status(capsys) == before_status and Store(opened).counts() == before_counts


def test_cycle_validate_refuses_an_absent_version(opened: str, tmp_path: Path, ccfl_answers: dict, capsys) -> None:
    path = _filled(tmp_path, ccfl_answers, capsys, "ccfl.xlsx")
    assert _run(["submit", str(path), "--cycle", CYCLE], capsys)[0] == 0
    before = Store(opened).counts()
    code, out, err = _run(["cycle", "validate", CYCLE, "ccfl", "9", "--author", "coord"], capsys)
    assert (code, out) == (1, "")
    _says(
        err,
        f"Aucune version 9 pour l'organisme « ccfl » au cycle {CYCLE}.",
        f"No version 9 for organisation 'ccfl' in cycle {CYCLE}.",
    )
    assert Store(opened).counts() == before and _status(capsys)["ccfl"]["validated_version"] is None


def test_an_invalid_workbook_is_located_and_changes_nothing(
    opened: str, tmp_path: Path, ccfl_answers: dict, capsys
) -> None:
    good = _filled(tmp_path, ccfl_answers, capsys, "ccfl.xlsx")
    assert _run(["submit", str(good), "--cycle", CYCLE], capsys)[0] == 0
    before_status, before_counts = _status(capsys), Store(opened).counts()
    bad_answers = copy.deepcopy(ccfl_answers)
    bad_answers["clients"][0]["count"] = -1  # first client row: London, permanent residents
    bad = _filled(tmp_path, bad_answers, capsys, "ccfl-faux.xlsx")
    code, out, err = _run(["submit", str(bad), "--cycle", CYCLE], capsys)
    assert (code, out) == (1, "")
    assert "[Clients / Ligne 4 / Nombre de clients]" in err  # sheet, row and column of the -1
    assert "-1" in err and "[EN]" in err and "Traceback" not in err
    _says(err, "1 problème(s) à corriger. Rien n'a été enregistré.", "1 problem(s) to fix. Nothing was stored.")
    assert _status(capsys) == before_status and Store(opened).counts() == before_counts


def test_a_missing_file_is_named(opened: str, tmp_path: Path, capsys) -> None:
    missing = tmp_path / "absent.xlsx"
    code, out, err = _run(["submit", str(missing), "--cycle", CYCLE], capsys)
    assert (code, out) == (1, "")
    _says(err, f"Fichier introuvable : « {missing} ».", f"File not found: '{missing}'.")


def test_template_pre_filled_with_the_validated_answers(
    opened: str, tmp_path: Path, ccfl_answers: dict, capsys
) -> None:
    path = _filled(tmp_path, ccfl_answers, capsys, "ccfl.xlsx")
    assert _run(["submit", str(path), "--cycle", CYCLE], capsys)[0] == 0
    assert _run(["cycle", "validate", CYCLE, "ccfl", "1", "--author", "coord"], capsys)[0] == 0
    prefilled = tmp_path / "ccfl-2020.xlsx"
    code, out, _ = _run(["template", "-o", str(prefilled), "--org", "ccfl", "--cycle", "2020-2021"], capsys)
    assert code == 0 and f"Gabarit écrit : {prefilled}" in out
    book = load_workbook(prefilled)
    assert book.sheetnames == SHEETS
    assert (book["Organisme"]["B2"].value, book["Organisme"]["B3"].value) == ("ccfl", CCFL)
    notes = [_plain(str(c.value)) for c in book["Instructions"]["A"] if c.value]
    note = f"Pré-rempli avec vos réponses validées du cycle {CYCLE} (version 1) : mettez à jour ce qui a changé."
    assert note in notes
    code, out, err = _run(["validate", str(prefilled)], capsys)
    assert (code, err) == (0, "")
    assert f"{CCFL} — 2 lieu(x), 7 service(s), 7 ligne(s) de clients, 4 besoin(s)." in out


# -- demo -----------------------------------------------------------------------------------------


def test_demo_loads_both_cycles_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from cartography.paths import data_dir

    demo_file = data_dir() / "demo" / "store.sqlite"
    code, out, err = _run(["demo"], capsys)
    assert (code, err) == (0, "")
    _says(
        out,
        "Données fictives de démonstration chargées : 9 organismes, cycle(s) 2019-2020, 2020-2021.",
        "Fictitious demonstration data loaded: 9 organisations, cycle(s) 2019-2020, 2020-2021.",
    )
    _says(out, f"Base de démonstration (données fictives) : sqlite:///{demo_file}", "Demonstration database")
    loaded = Store(f"sqlite:///{demo_file}").counts()

    code, out, err = _run(["demo", "--if-empty"], capsys)
    assert (code, err) == (0, "")
    _says(
        out,
        "Les données fictives (cycle(s) 2019-2020, 2020-2021) sont déjà chargées.",
        "The demo data (cycle(s) 2019-2020, 2020-2021) are already loaded.",
    )
    assert Store(f"sqlite:///{demo_file}").counts() == loaded  # nothing added the second time

    monkeypatch.setenv("CARTO_DEMO", "1")  # the other commands read the demo store when asked
    for cycle in ("2019-2020", "2020-2021"):
        rows = _status(capsys, cycle)
        assert len(rows) == 9 and "ccfl" in rows
        assert {(r["versions"], r["validated_version"]) for r in rows.values()} == {(1, 1)}
    code, out, _ = _run(["cycle", "status", "2019-2020"], capsys)
    assert code == 0 and "9 organisme(s) sur 9 ont soumis ; 9 validé(s)" in out


# -- serve ----------------------------------------------------------------------------------------


def _settings(argv: list[str]) -> dict[str, str]:
    """The ``--section.option value`` pairs after ``streamlit run APP``."""
    pairs = argv[5:]
    assert len(pairs) % 2 == 0 and all(key.startswith("--") for key in pairs[::2]), pairs
    return {key.removeprefix("--"): value for key, value in zip(pairs[::2], pairs[1::2], strict=True)}


def test_serve_command_passes_only_real_streamlit_settings() -> None:
    from streamlit import config

    argv = cli.serve_command("127.0.0.1", 8765)
    assert argv[:4] == [sys.executable, "-m", "streamlit", "run"] and argv[4].endswith("app.py")
    settings = _settings(argv)
    unknown = set(settings) - set(config.get_config_options())
    assert not unknown  # a misspelt option would be refused by Streamlit at start-up
    assert settings["server.address"] == "127.0.0.1" and settings["server.port"] == "8765"
    assert settings["server.headless"] == "true" and settings["server.maxUploadSize"] == "5"
    assert settings["browser.gatherUsageStats"] == "false"


def test_serve_announces_the_address_and_returns_streamlits_exit_code(monkeypatch, capsys) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(subprocess, "call", lambda argv, **kwargs: calls.append(argv) or 3)
    code, out, err = _run(["serve", "--address", "0.0.0.0", "--port", "9000"], capsys)
    assert (code, err) == (3, "")  # whatever Streamlit exits with
    _says(
        out,
        "Application sur http://0.0.0.0:9000 (téléversements limités à 5 Mo).",
        "App at http://0.0.0.0:9000 (uploads limited to 5 MB).",
    )
    assert calls == [cli.serve_command("0.0.0.0", 9000)]


def test_serve_help_and_a_bad_port(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["serve", "--help"])
    assert done.value.code == 0
    help_text = _plain(capsys.readouterr().out)
    assert "--address" in help_text and "--port" in help_text and "8501" in help_text
    with pytest.raises(SystemExit) as done:
        cli.main(["serve", "--port", "huit"])
    assert done.value.code != 0 and "--port" in capsys.readouterr().err


# -- the installed program --------------------------------------------------------------------------


def _program(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``cartography`` on a store of its own under ``tmp_path``."""
    env = {**os.environ, "CARTO_DATABASE_URL": f"sqlite:///{tmp_path / 'program.sqlite'}"}
    return subprocess.run([str(PROGRAM), *args], capture_output=True, text=True, env=env, timeout=60, check=False)


def test_the_installed_program_offers_every_contract_command(tmp_path: Path) -> None:
    done = _program(["--help"], tmp_path)
    assert done.returncode == 0, done.stderr
    for command in ("template", "validate", "submit", "cycle", "demo", "serve"):
        assert command in done.stdout
    done = _program(["serve", "--help"], tmp_path)
    assert done.returncode == 0 and "--port" in done.stdout


def test_the_installed_program_reports_a_user_error_on_stderr(tmp_path: Path) -> None:
    done = _program(["cycle", "validate", CYCLE, "absent", "1", "--author", "coord"], tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    _says(
        _plain(done.stderr),
        f"Aucune version 1 pour l'organisme « absent » au cycle {CYCLE}.",
        f"No version 1 for organisation 'absent' in cycle {CYCLE}.",
    )
    assert "Traceback" not in done.stderr


def test_missing_arguments_exit_non_zero(capsys) -> None:
    for argv in (["submit", "gabarit.xlsx"], ["template"], ["cycle", "validate", CYCLE, "ccfl", "deux"]):
        with pytest.raises(SystemExit) as done:
            cli.main(argv)
        assert done.value.code == 2, argv
        assert "usage: cartography" in capsys.readouterr().err


# -- fixes after the first run of this file ------------------------------------------------


@pytest.mark.parametrize("target", ["missing-folder/t.xlsx", "."])
def test_template_output_in_a_missing_folder_or_on_a_folder_is_refused_in_words(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["template", "-o", target]) == 1
    err = capsys.readouterr().err
    assert ("n'existe pas" in err or "est un dossier" in err) and "[EN]" in err
    assert "inattendue" not in err and list(tmp_path.iterdir()) == []


def test_status_of_a_cycle_never_opened_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["cycle", "status", "2099-2100"]) == 1
    assert "2099-2100 n'existe pas" in capsys.readouterr().err


def test_argument_errors_are_said_in_french_first(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["serve", "--port", "huit"])
    assert stop.value.code == 2
    err = capsys.readouterr().err.replace("\xa0", " ").replace("\u202f", " ")  # French typography
    assert "valeur invalide pour --port : 'huit' (attendu : un nombre entier)" in err
    assert err.index("Commande incomplète") < err.index("[EN] Incomplete")
