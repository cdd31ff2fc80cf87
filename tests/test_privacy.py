"""Small-count protection: suppression, unbiased random rounding to base 5, totals, and the
store's secret seed (an attacker who knows the cycle and the cell cannot replay the rounding)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cartography.io.exports import write_layers
from cartography.io.store import MetaRow, Store
from cartography.model import ClientCount
from cartography.privacy import protect_counts, published_total
from cartography.services.compile import compile_cycle

SALT = "5a" * 32  # the shape of Store.rounding_salt(): 64 hex characters
OTHER_SALT = "c3" * 32
CYCLE = "2019-2020"


def _protect(values, salt=SALT):  # type: ignore[no-untyped-def]
    s = pd.Series(values)
    return protect_counts(s, pd.Series([f"cell{i}" for i in range(len(s))]), salt)


def test_one_to_four_suppressed_zero_kept_multiples_of_five() -> None:
    out = _protect([0, 1, 2, 3, 4, 5, 10, 142])
    assert out.iloc[0] == 0
    assert out.iloc[1:5].isna().all()
    assert list(out.iloc[5:7]) == [5, 10]
    assert out.iloc[7] in (140, 145)
    assert (out.dropna() % 5 == 0).all()


def test_deterministic_per_salt_and_unbiased() -> None:
    values = [7] * 4000
    a, b = _protect(values), _protect(values)
    assert a.equals(b)
    assert set(a.unique()) == {5, 10}
    assert abs(a.astype(float).mean() - 7) < 0.15  # unbiased: E = 5*0.6 + 10*0.4 = 7
    assert not _protect(values, OTHER_SALT).equals(a)


def test_a_public_seed_is_refused() -> None:
    # The cycle code (or any short, guessable text) would let anyone replay the draw.
    for public in ("2019-2020", "", "x" * 63):
        with pytest.raises(ValueError):
            _protect([7, 12], public)


def test_suppressed_value_cannot_be_recovered_from_the_total() -> None:
    # The same table with the suppressed cell at 1 or at 4 publishes identical numbers.
    low = _protect([1, 23, 56])
    high = _protect([4, 23, 56])
    assert low.equals(high)
    assert published_total(low) == published_total(high) == int(low.iloc[1] + low.iloc[2])


def test_a_total_of_suppressed_cells_is_suppressed_never_zero() -> None:
    na = pd.NA
    assert published_total(pd.Series([na, na], dtype="Int64")) is None
    assert published_total(pd.Series([na, 0], dtype="Int64")) is None  # true total 1 to 4, not 0
    assert published_total(pd.Series([0, 0], dtype="Int64")) == 0
    assert published_total(pd.Series([], dtype="Int64")) == 0
    assert published_total(pd.Series([na, 10, 5], dtype="Int64")) == 15


def test_negative_counts_refused() -> None:
    with pytest.raises(ValueError):
        _protect([-1, 3])


def test_rounding_moves_at_most_four() -> None:
    values = np.arange(5, 500)
    out = _protect(values).astype(float).to_numpy()
    assert np.all(np.abs(out - values) <= 4)


# -- the store's secret --------------------------------------------------------------------


def _secret(store: Store) -> str:
    with store.session(write=False) as session:
        return session.get(MetaRow, "rounding_secret").value


def _set_secret(store: Store, secret: str) -> Store:
    """A fresh handle on ``store`` whose rounding secret is ``secret`` (a known answer)."""
    with store.session() as session:
        session.get(MetaRow, "rounding_secret").value = secret
    return Store(store.url)


def _copy_validated(source: Store, url: str) -> Store:
    """A new store holding the same validated submissions as ``source``."""
    target = Store(url)
    target.open_cycle(CYCLE, "coord")
    for sub in source.validated(CYCLE):
        stored = target.submit(sub.content, CYCLE, sub.author)
        target.validate(stored.org_id, CYCLE, stored.version, "coord")
    return target


def _published(compiled) -> pd.Series:  # type: ignore[no-untyped-def]
    frame = compiled.layers["clients_by_area"]
    return frame.set_index(["csd", "profile"])["clients_published"].sort_index()


def test_each_store_has_its_own_secret_and_keeps_it(tmp_path: Path) -> None:
    a = Store(f"sqlite:///{tmp_path / 'a.sqlite'}")
    b = Store(f"sqlite:///{tmp_path / 'b.sqlite'}")
    assert len(_secret(a)) == 64 and _secret(a) != _secret(b)
    assert len(a.rounding_salt()) == 64 and a.rounding_salt() != b.rounding_salt()
    assert a.rounding_salt() != _secret(a)  # only a derived salt leaves the store
    again = Store(a.url)  # reopening (and migrating) keeps the secret
    assert _secret(again) == _secret(a) and again.rounding_salt() == a.rounding_salt()


def test_two_stores_publish_different_values_the_same_store_always_the_same(
    demo_store, geography, tmp_path: Path
) -> None:
    first = _set_secret(_copy_validated(demo_store, f"sqlite:///{tmp_path / 'one.sqlite'}"), "01" * 32)
    second = _set_secret(_copy_validated(demo_store, f"sqlite:///{tmp_path / 'two.sqlite'}"), "02" * 32)
    one = _published(compile_cycle(first, geography, CYCLE))
    two = _published(compile_cycle(second, geography, CYCLE))
    assert one.index.equals(two.index)
    assert one.isna().equals(two.isna())  # suppression does not depend on the secret
    differ = (one != two).fillna(False)
    assert differ.sum() >= 3, "the secret must change some roundings"
    assert _published(compile_cycle(first, geography, CYCLE)).equals(one)  # same store, same values
    # Independent of the cycle code: the public facts alone do not fix the draw.
    assert _published(compile_cycle(Store(first.url), geography, CYCLE)).equals(one)


def test_the_secret_never_reaches_compiled_outputs(demo_store, compiled_demo, tmp_path: Path) -> None:
    import zipfile

    secret, salt = _secret(demo_store), demo_store.rounding_salt()
    assert secret not in repr(compiled_demo.metadata) and salt not in repr(compiled_demo.metadata)
    for fmt, name in (("csv", "out"), ("xlsx", "out.xlsx"), ("gpkg", "out.gpkg")):
        written = write_layers(compiled_demo, tmp_path / name, fmt)
        for path in written:
            if zipfile.is_zipfile(path):  # several CSV tables come zipped: look inside
                datas = [zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist()]
            else:
                datas = [path.read_bytes()]
            for data in datas:
                assert secret.encode() not in data and salt.encode() not in data, path


def test_municipality_totals_are_sums_of_published_cells(compiled_demo) -> None:
    frame = compiled_demo.layers["clients_by_area"]
    assert str(frame["clients_published"].dtype) == "Int64"
    totals = frame[frame["profile"] == "all"].set_index("csd")["clients_published"]
    cells = frame[frame["profile"] != "all"]
    for csd, group in cells.groupby("csd"):
        expected = published_total(group["clients_published"])
        if expected is None:
            assert pd.isna(totals[csd]), csd
        else:
            assert totals[csd] == expected, csd


def _small_counts_content(content, csd_small: str, csd_big: str, small: int):  # type: ignore[no-untyped-def]
    """``content`` whose clients are two small cells in one town and 12 in another."""
    clients = (
        ClientCount(csduid=csd_small, profile="resettled_refugee", count=small),
        ClientCount(csduid=csd_small, profile="international_student", count=0),
        ClientCount(csduid=csd_big, profile="resettled_refugee", count=12),
    )
    return content.model_copy(update={"clients": clients})


def test_all_suppressed_municipality_is_suppressed_and_the_cell_unrecoverable(
    demo_store, geography, tmp_path: Path
) -> None:
    base = demo_store.validated(CYCLE)[0]
    csds = sorted(geography.municipalities["CSDUID"])
    small_csd, big_csd = csds[0], csds[1]
    store = Store(f"sqlite:///{tmp_path / 'small.sqlite'}")
    store.open_cycle(CYCLE, "coord")
    published = []
    for small in (1, 4):  # the same store, the suppressed cell at 1 then at 4
        stored = store.submit(_small_counts_content(base.content, small_csd, big_csd, small), CYCLE, "membre")
        store.validate(stored.org_id, CYCLE, stored.version, "coord")
        compiled = compile_cycle(store, geography, CYCLE)
        frame = compiled.layers["clients_by_area"].set_index(["csd", "profile"])["clients_published"]
        assert pd.isna(frame[(small_csd, "resettled_refugee")]) and frame[(small_csd, "international_student")] == 0
        assert pd.isna(frame[(small_csd, "all")]), "true total 1-4 must be suppressed, never 0"
        assert frame[(big_csd, "all")] == frame[(big_csd, "resettled_refugee")] in (10, 15)
        assert compiled.member_totals[base.org_id] == frame[(big_csd, "all")]
        published.append((frame.to_dict(), dict(compiled.member_totals)))
    assert published[0] == published[1]  # nothing published tells 1 from 4


def test_member_totals_are_sums_of_their_protected_cells(demo_store, compiled_demo) -> None:
    salt = demo_store.rounding_salt()
    for sub in demo_store.validated("2019-2020"):
        frame = pd.DataFrame([c.model_dump() for c in sub.content.clients], columns=["csduid", "profile", "count"])
        cells = frame.groupby(["csduid", "profile"], as_index=False)["count"].sum()
        protected = protect_counts(cells["count"], cells["csduid"] + "|" + cells["profile"], salt)
        assert compiled_demo.member_totals[sub.org_id] == published_total(protected), sub.org_id
        assert compiled_demo.member_totals[sub.org_id] % 5 == 0


def test_the_deck_shows_the_published_member_total(demo_store, compiled_demo, geography) -> None:
    from cartography.reports import Deck, _member_summary_slide

    sub = compiled_demo.members[0]
    texts = []
    for published in (compiled_demo.member_totals[sub.org_id], None):
        deck = Deck("en", True, "footer")
        _member_summary_slide(deck, dataclasses.replace(sub, clients_published=published), geography)
        slide = deck.prs.slides[-1]
        texts.append(" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame))
    total = compiled_demo.member_totals[sub.org_id]
    assert f"{total:,}".replace(",", " ") in texts[0] or str(total) in texts[0]
    assert str(total) not in texts[1]


def test_the_shared_compiled_result_holds_no_exact_count(compiled_demo, demo_store) -> None:
    # The compiled cycle is cached once for every user of the app: it may hold only what is
    # published. Members' directory entries keep names, sites and services, never a count.
    import pickle

    from cartography.compilation import MemberListing

    assert not hasattr(compiled_demo, "submissions")
    assert {f.name for f in dataclasses.fields(MemberListing)}.isdisjoint({"clients", "needs", "content"})
    frozen = pickle.dumps(compiled_demo)
    assert b"ClientCount" not in frozen and b"Need\n" not in frozen
    exact = {(c.csduid, c.profile, c.count) for s in demo_store.validated("2019-2020") for c in s.content.clients}
    layer = compiled_demo.layers["clients_by_area"]
    assert "count" not in layer.columns
    published = layer["clients_published"].dropna()
    assert published.empty or bool((published % 5 == 0).all())
    assert exact  # the demo has counts to hide
