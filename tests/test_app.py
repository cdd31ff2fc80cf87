"""One streamlit.testing AppTest per page, on the demo store (invented data), with the
sign-in rules: anonymous visitors see the cycle status only, members see their own
organisation's exact answers and nothing of others', planners see compiled protected results,
and only the coordinator reaches the administration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGES = "src/cartography/ui/pages"
COORDINATOR = {"username": "coordination", "role": "coordinator", "org_id": None}
PLANNER = {"username": "table", "role": "planner", "org_id": None}
MEMBER = {"username": "ccfl", "role": "member", "org_id": "ccfl"}


@pytest.fixture
def app(demo_store_copy, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store_copy.url)

    def open_page(
        page: str | None = None, user: dict | None = None, lang: str = "fr", cycle: str | None = "2019-2020"
    ) -> AppTest:
        """Open ``page`` as ``user``; the demo's first cycle (the known answers below) unless told."""
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if user:
            at.session_state["user"] = user
        at.session_state["lang"] = lang
        if cycle:
            at.session_state["cycle"] = cycle
        at.run()
        if page:
            at.switch_page(f"{PAGES}/{page}.py")
            at.run()
        assert not at.exception, at.exception
        return at

    return open_page


def _sources(at: AppTest) -> str:
    """The Markdown the app sent to the browser (what a renderer reads)."""
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption] + [m.value for m in at.info]
    parts += [m.value for m in at.warning] + [m.value for m in at.error] + [m.value for m in at.success]
    parts += [t.value for t in at.title] + [s.value for s in at.subheader]
    parts += [b.label for b in at.button]
    return "\n".join(str(p) for p in parts)


def _unescape(markdown: str) -> str:
    """What the user reads of escaped Markdown (CommonMark backslash escapes resolved)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def _text(at: AppTest) -> str:
    """What the user reads on the page."""
    return _unescape(_sources(at))


def test_home_shows_the_cycle_status(app) -> None:
    at = app()
    assert at.title[0].value == "Cartographie des services en français"
    assert [m.value for m in at.metric][:2] == ["9 / 9", "9 / 9"]
    status = at.dataframe[0].value
    assert len(status) == 9 and "Collège Boréal" in set(status["Organisme"])
    assert "Données de démonstration (fictives)" in _text(at)


def test_home_in_english(app) -> None:
    at = app(lang="en")
    assert at.title[0].value == "Map of French-language services"
    assert "Organisation" in at.dataframe[0].value.columns


def test_template_page_anonymous_can_download_but_not_upload_or_check(app) -> None:
    at = app("template")
    assert at.title[0].value == "Gabarit"
    assert "Mes soumissions" not in _text(at)
    assert len(at.get("download_button")) == 1  # the blank template stays public
    assert not at.get("file_uploader")  # reading a workbook costs the server: sign in first
    assert not any(b.key == "check-form" for b in at.button)
    assert "Connectez-vous (barre latérale) pour déposer un gabarit rempli" in _text(at)
    signed_in = app("template", PLANNER)
    assert len(signed_in.get("file_uploader")) == 1
    assert signed_in.get("file_uploader")[0].proto.max_upload_size_mb == 5


def test_member_sees_own_exact_counts_and_nothing_of_others(app) -> None:
    at = app("template", MEMBER)
    text = _text(at)
    assert "Mes soumissions" in text and "nombres exacts" in text
    own = next(df.value for df in at.dataframe if "Nombre de clients" in df.value.columns)
    # CCFL's own view is exact: a count of 3 is shown as 3 (published results suppress 1 to 4).
    assert 3 in set(own["Nombre de clients"])
    submissions = next(df.value for df in at.dataframe if "Version" in df.value.columns)
    # only CCFL's own submissions (one per demo cycle), not the 8 others'
    assert sorted(submissions["Cycle"]) == ["2019-2020", "2020-2021"]


def test_member_cannot_submit_for_another_organisation(app) -> None:
    at = app("template", MEMBER)
    at.text_input(key="form-org-org_id").input("boreal")
    at.button(key="check-form").click()
    at.run()
    assert any("boreal" in e.value and "vôtre" in e.value for e in at.error), _text(at)
    assert not any(b.key == "submit-form" for b in at.button)


def test_member_can_check_and_submit_own_form(app, demo_store_copy) -> None:
    demo_store = demo_store_copy
    before = len(demo_store.submissions("2019-2020", "ccfl"))
    at = app("template", MEMBER)
    at.text_input(key="form-org-phone").input("519 555-0199")  # a change: unchanged answers are refused
    at.button(key="check-form").click()
    at.run()
    assert any("Gabarit valide" in s.value for s in at.success), _text(at)
    at.button(key="submit-form").click()
    at.run()
    assert len(demo_store.submissions("2019-2020", "ccfl")) == before + 1


def test_map_requires_sign_in(app) -> None:
    at = app("map")
    assert "Connectez-vous" in _text(at)


def test_map_page_for_planners(app) -> None:
    at = app("map", PLANNER)
    assert at.title[0].value == "Carte des lacunes"
    assert "Cliquez sur une zone" in _text(at)
    at.multiselect(key="map_regions").select("elgin")
    at.run()
    assert not at.exception
    options = at.multiselect(key="map_municipalities").options
    assert len(options) == 8  # Elgin's municipalities only


def test_explorer_filters_and_protects(app) -> None:
    at = app("explorer", PLANNER)
    at.multiselect(key="ex_regions").select("elgin")
    at.run()
    gaps = at.dataframe[0].value
    assert set(gaps["Zone"]) <= {
        "Bayham",
        "Malahide",
        "Aylmer",
        "Central Elgin",
        "St. Thomas",
        "Southwold",
        "Dutton/Dunwich",
        "West Elgin",
    }
    clients = at.dataframe[2].value
    published = clients["Clients (publiés, arrondis)"].dropna()
    assert not published.between(1, 4).any()
    assert (published % 5 == 0).all()


def _kept_name(at: AppTest) -> str | None:
    """The name of the file the reports page keeps (its key says cycle, format and filters)."""
    kept = [at.session_state[k] for k in list(at.session_state) if str(k).startswith("rep_file:")]
    return kept[0]["name"] if len(kept) == 1 else None


def test_reports_page(app) -> None:
    at = app("reports", PLANNER)
    assert at.title[0].value == "Rapports"
    at.button(key="rep_prepare").click()  # the table's PowerPoint deck is the default
    at.run()
    assert not at.exception
    assert _kept_name(at) == "presentation-table-2019-2020.pptx"
    assert len(at.get("download_button")) == 1
    member = app("reports", MEMBER)
    member.radio(key="rep_kind").set_value("own")
    member.button(key="rep_prepare").click()
    member.run()
    assert _kept_name(member) == "presentation-ccfl-2019-2020.pptx"


def test_admin_only_for_the_coordinator(app) -> None:
    for user in (MEMBER, PLANNER, None):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app("admin", user)  # the page is not even registered for them
    at = app("admin", COORDINATOR)
    assert at.title[0].value == "Administration"
    at.text_input[0].input("2021-2022")
    form_buttons = [b for b in at.button if "Ouvrir" in str(b.label)]
    form_buttons[0].click()
    at.run()
    assert any("2021-2022" in _unescape(s.value) for s in at.success), _text(at)


# -- issue 10: member text is plain text; nothing outlives an account; no traceback --------------

EVIL = "Evil [clic](https://evil.example/x) ![pixel](https://evil.example/t.png) :red[rouge] $x^2$ <b>gras</b>"


def _assert_inert(at: AppTest) -> None:
    """The hostile name reaches the page as text: readable as typed, never as a link or image."""
    assert "](https://evil.example" not in _sources(at)  # no Markdown link or image left live
    assert ":red[" not in _sources(at) and "$x^2$" not in _sources(at)
    assert EVIL in _text(at)


def test_registered_name_is_text_on_the_map_page(app, demo_store_copy) -> None:
    from cartography.vocabulary import ORGANISATION_TYPES

    demo_store_copy.register_organisation("nouveau", EVIL, ORGANISATION_TYPES.codes[0], "coordination")
    at = app("map", PLANNER)  # listed among the members without a validated submission
    _assert_inert(at)


def test_member_text_in_messages_is_text(app, demo_store_copy) -> None:
    at = app("template", MEMBER)
    at.text_input(key="form-org-name").input(EVIL)
    at.button(key="check-form").click()
    at.run()
    assert any("Gabarit valide" in s.value for s in at.success), _text(at)
    _assert_inert(at)
    at.button(key="submit-form").click()
    at.run()
    assert any("Soumission enregistrée" in s.value for s in at.success), _text(at)
    _assert_inert(at)


def test_new_organisation_name_shows_once_validated(app, demo_store_copy) -> None:
    store = demo_store_copy
    cycle = "2020-2021"  # the newest cycle: its validated version names the organisation
    v1 = next(s for s in store.validated(cycle) if s.org_id == "ccfl")
    old = v1.content.organisation.name
    renamed = v1.content.model_copy(
        update={"organisation": v1.content.organisation.model_copy(update={"name": "Nom pas encore validé"})}
    )
    v2 = store.submit(renamed, cycle, "ccfl", "formulaire")
    names = set(app(cycle=cycle).dataframe[0].value["Organisme"])
    assert old in names and "Nom pas encore validé" not in names  # pending: the accepted name stays
    store.validate("ccfl", cycle, v2.version, "coordination")
    names = set(app(cycle=cycle).dataframe[0].value["Organisme"])
    assert "Nom pas encore validé" in names and old not in names


def test_sign_out_forgets_everything_but_the_language(app) -> None:
    at = app("reports", MEMBER)
    at.radio(key="rep_kind").set_value("own")  # the member's deck: exact counts
    at.button(key="rep_prepare").click()
    at.run()
    assert len(at.get("download_button")) == 1
    # English chosen before signing out. (Set here, not on opening: AppTest formats a
    # selectbox's value outside the script run, where a label's language cannot be read.)
    at.session_state["lang"] = "en"
    at.button(key="sign_out").click()
    at.run()
    assert not at.exception
    assert _kept_name(at) is None and "user" not in at.session_state
    assert "rep_kind" not in at.session_state
    assert at.session_state["lang"] == "en"
    assert not at.get("download_button")
    at.session_state["user"] = PLANNER  # the next person signs in at the same screen
    at.run()
    assert not at.get("download_button")


def test_prepared_files_are_never_offered_to_another_account(app) -> None:
    at = app("reports", MEMBER)
    at.radio(key="rep_kind").set_value("own")
    at.button(key="rep_prepare").click()
    at.run()
    assert len(at.get("download_button")) == 1
    at.session_state["user"] = PLANNER  # another account in the same session, without sign-out
    at.run()
    assert not at.get("download_button") and _kept_name(at) is None
    form = app("template", MEMBER)
    form.button(key="check-form").click()
    form.run()
    assert any("Gabarit valide" in s.value for s in form.success)
    form.session_state["user"] = {"username": "boreal", "role": "member", "org_id": "boreal"}
    form.run()
    assert not any("Gabarit valide" in s.value for s in form.success), _text(form)
    assert not any(b.key == "submit-form" for b in form.button)


def test_unexpected_error_shows_a_reference_and_logs_the_detail(app, monkeypatch) -> None:
    import os

    from cartography.services.workspace import Store

    def broken(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("détail secret /srv/base.sqlite")

    monkeypatch.setattr(Store, "cycles", broken)
    at = app()  # the fixture asserts that no exception element (traceback) was sent
    message = next(e.value for e in at.error if "référence" in e.value)
    reference = re.search(r"référence ([0-9a-f]{8})", message).group(1)
    assert f"reference {reference}" in message  # French and English
    assert "détail secret" not in _text(at) and "RuntimeError" not in _text(at)
    log = Path(os.environ["CARTO_DATA_DIR"]) / "logs" / "incidents.log"
    logged = log.read_text(encoding="utf-8")
    assert f"incident {reference}" in logged and "détail secret" in logged and "Traceback" in logged


def test_refused_sign_in_says_why(app, monkeypatch) -> None:
    from cartography.errors import UserError
    from cartography.services.workspace import Store

    def refused(self, username, password):  # type: ignore[no-untyped-def]
        raise UserError("ui.not_allowed")  # as the store does for a locked account

    monkeypatch.setattr(Store, "authenticate", refused)
    at = app()
    at.text_input(key="sign_in_username").input("ccfl")
    at.text_input(key="sign_in_password").input("mauvais")
    next(b for b in at.button if "Se connecter" in str(b.label)).click()
    at.run()
    assert not at.exception
    assert any("ne donne pas accès" in e.value for e in at.error)
    assert "user" not in at.session_state


def test_every_page_says_the_store_is_the_demo(app) -> None:
    for page, user in (("template", None), ("explorer", PLANNER), ("reports", PLANNER)):
        assert "Données de démonstration (fictives)" in _text(app(page, user)), page


def test_a_real_store_is_named_and_the_coordinator_sees_where(tmp_path, monkeypatch) -> None:
    from cartography.services.workspace import Store

    real = Store(f"sqlite:///{tmp_path / 'reelle.sqlite'}")
    real.open_cycle("2020-2021", "coordination")
    real.create_user("coordination", "un mot de passe assez long", "coordinator", "test")  # sessions need
    real.create_user("table", "un mot de passe assez long", "planner", "test")  # real accounts
    monkeypatch.setenv("CARTO_DATABASE_URL", real.url)
    for user, sees_location in ((None, False), (PLANNER, False), (COORDINATOR, True)):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if user:
            at.session_state["user"] = user
        at.run()
        assert not at.exception
        text = _text(at)
        assert "Données réelles — base «\u00a0reelle\u00a0»" in text and "démonstration" not in text
        assert ("Emplacement de la base\u00a0: sqlite:///" in text) is sees_location
    real.dispose()


@pytest.mark.parametrize("page", ["explorer", "map", "reports"])
def test_result_pages_open_on_the_newest_cycle(app, page: str) -> None:
    # The demo has 2019-2020 and 2020-2021: every page opens on the newest, as Home does.
    at = app(page, PLANNER, cycle=None)  # nothing chosen yet in this session
    assert at.selectbox(key="cycle").value == "2020-2021"


def test_the_chosen_cycle_follows_the_reader_from_page_to_page(app) -> None:
    # Each page's cycle box is a new widget; the choice made on one page must not be lost on the next.
    at = app("explorer", PLANNER, cycle=None)
    at.selectbox(key="cycle").select("2019-2020").run()
    at.switch_page(f"{PAGES}/map.py").run()
    assert at.selectbox(key="cycle").value == "2019-2020"


def test_an_account_disabled_mid_session_is_signed_out_on_any_page(app, demo_store_copy) -> None:
    at = app("explorer", PLANNER)
    assert at.session_state["user"]["username"] == "table"
    demo_store_copy.set_disabled("table", True, "coordination")  # the coordinator, elsewhere
    at.run()  # the next thing the planner does, on the explorer
    assert "user" not in at.session_state
    assert any("Ce compte est désactivé" in w.value for w in at.sidebar.warning)
    assert not at.dataframe  # no result left on screen


# -- dates read day, month, year (JJ/MM/AAAA), in the boxes and in the tables -------------------


def test_date_boxes_and_dates_in_tables_read_day_month_year(app, demo_store_copy) -> None:
    from datetime import UTC, datetime

    from cartography.ui.state import shown_time

    at = app("admin", COORDINATOR)
    assert [box.proto.format for box in at.date_input] == ["DD/MM/YYYY", "DD/MM/YYYY"]
    at.text_input[0].input("2031-2032")
    at.date_input[0].set_value("2031-04-01")
    at.date_input[1].set_value("2032-03-31")
    next(b for b in at.button if b.label == "Ouvrir le cycle").click()
    at.run()
    assert not at.exception
    cycles = next(d.value for d in at.dataframe if "Début de la période" in d.value.columns)
    row = cycles[cycles["Cycle"] == "2031-2032"].iloc[0]
    assert (row["Début de la période"], row["Fin de la période"]) == ("01/04/2031", "31/03/2032")
    # Toronto time (UTC-5 in November, UTC-4 in July), day first.
    assert shown_time(datetime(2026, 11, 23, 16, 4, tzinfo=UTC)) == "23/11/2026 11:04"
    assert shown_time(datetime(2026, 7, 1, 16, 4, tzinfo=UTC)) == "01/07/2026 12:04"
    home = app(None, COORDINATOR)
    last = set(home.dataframe[0].value["Dernier envoi"]) - {"—"}
    assert last and all(re.fullmatch(r"\d\d/\d\d/20\d\d \d\d:\d\d", v) for v in last), last


# -- the HSDS 3.0 directory, downloaded where the other files are -----------------------------


def test_the_hsds_directory_downloads_as_the_command_line_writes_it(app, demo_store_copy, tmp_path) -> None:
    import io
    import zipfile

    from cartography.services.files import export_hsds
    from cartography.services.workspace import load_geography

    at = app("reports", PLANNER)
    at.radio(key="rep_kind").set_value("hsds")
    at.run()
    at.button(key="rep_prepare").click()
    at.run()
    assert not at.exception
    buttons = at.get("download_button")
    assert len(buttons) == 1 and "HSDS 3.0" in buttons[0].proto.help
    assert _kept_name(at) == "hsds-2019-2020.zip"
    kept = next(at.session_state[k] for k in list(at.session_state) if str(k).startswith("rep_file:"))
    cli = tmp_path / "cli.zip"  # what `cartography export hsds --cycle 2019-2020 -o cli.zip` writes
    export_hsds(demo_store_copy, load_geography(), "2019-2020", cli)
    with zipfile.ZipFile(io.BytesIO(kept["data"])) as app_zip, zipfile.ZipFile(cli) as cli_zip:
        names = sorted(app_zip.namelist())
        assert names == sorted(cli_zip.namelist())
        assert {"datapackage.json", "organizations.csv", "locations.csv", "services.csv"} <= set(names)
        assert any(name.startswith("extra/") for name in names)  # the protected counts, needs, gaps
        for name in names:
            if name != "datapackage.json":  # which differs by its creation time only
                assert app_zip.read(name) == cli_zip.read(name), name
    member = app("reports", MEMBER)  # every account that may download the published files
    assert "Répertoire HSDS 3.0 (.zip)" in member.radio(key="rep_kind").options


def test_the_date_boxes_parts_are_named_in_french() -> None:
    # Streamlit's date box writes its parts' placeholders and screen-reader names in English
    # (dd / mm / yyyy, "day, <label>"): the page translator's table says them in French.
    import re as regex

    from cartography.ui.state import _framework_table

    table = _framework_table("fr")
    exact = table["exact"]
    assert isinstance(exact, dict) and (exact["dd"], exact["yyyy"]) == ("jj", "aaaa")
    patterns = table["patterns"]
    assert isinstance(patterns, list)
    label = "day, Début de la période"
    named = [regex.sub(pattern, replacement.replace("$1", r"\1"), label) for pattern, replacement in patterns]
    assert "jour, Début de la période" in named
    assert _framework_table("en")["exact"] == {}
