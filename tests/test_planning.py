"""Site recommendation ("Où ajouter un service ?", issue 13 part 1).

Known answers on small hand-made lines of points (what the MCLP must choose, and where a
greedy choice falls short), an exhaustive check that the reductions made before the solve
never change the optimum, and on the demo: the GeoPackage written by ``cartography plan``
recomputed independently with plain numpy.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest

from cartography import planning
from cartography.cli import main
from cartography.errors import UserError
from cartography.io.plan import write_plan
from cartography.planning import coverage_table, recommend_sites
from cartography.site_plan import plan_cycle, plan_summary, recommended_lines

KM = 1000.0


def _line(*xs_km: float) -> np.ndarray:
    """Points on the x axis, at the given kilometres."""
    return np.column_stack([np.asarray(xs_km, dtype=float) * KM, np.zeros(len(xs_km))])


# -- known answers -----------------------------------------------------------------------
# Demand on a line: p1 at 0 km (4), p2 at 10 (3), p5 at 20 (2), p3 at 30 (3), p4 at 40 (4).
# Radius 10 km. Candidates: S1 at 5 km covers p1+p2 = 7; S3 at 20 covers p2+p5+p3 = 8;
# S2 at 35 covers p3+p4 = 7. Greedy takes S3 (8) then S1 or S2 (+4) = 12; the best pair is
# S1+S2 = 14.
DEMAND_XY = _line(0, 10, 20, 30, 40)
DEMAND = np.array([4.0, 3.0, 2.0, 3.0, 4.0])
CANDIDATES = _line(5, 20, 35)  # S1, S3, S2


def test_single_best_and_alone_values() -> None:
    s = recommend_sites(DEMAND_XY, DEMAND, [], CANDIDATES, 1, 10 * KM)
    assert s.alone.tolist() == [7.0, 8.0, 7.0]
    assert s.chosen.tolist() == [1] and s.added.tolist() == [8.0]
    assert s.status == "optimal" and s.optimality_gap == 0.0
    assert s.objective == pytest.approx(8.0)


def test_optimal_pair_beats_greedy_and_is_ranked_by_what_each_adds() -> None:
    s = recommend_sites(DEMAND_XY, DEMAND, [], CANDIDATES, 2, 10 * KM)
    assert sorted(s.chosen.tolist()) == [0, 2]  # S1 + S2 = 14, not greedy's 12
    assert s.newly_covered == 14.0
    assert s.added.tolist() == [7.0, 7.0]
    assert s.chosen.tolist() == [0, 2]  # equal gains: the earlier candidate first
    assert s.covered_after.tolist() == [True, True, False, True, True]
    table = coverage_table(s)
    assert table["cumulative_covered"].tolist() == [7.0, 14.0]
    assert table["share_of_uncovered"].tolist() == pytest.approx([7 / 16, 7 / 16])  # 16 uncovered


def test_existing_services_stay_open_and_change_the_answer() -> None:
    # An existing service at 0 km covers p1 and p2 (7): S3 then adds p5+p3 = 5, S2 adds p3+p4 = 7.
    s = recommend_sites(DEMAND_XY, DEMAND, _line(0), CANDIDATES, 1, 10 * KM)
    assert s.covered_before.tolist() == [True, True, False, False, False]
    assert s.alone.tolist() == [0.0, 5.0, 7.0]
    assert s.chosen.tolist() == [2] and s.added.tolist() == [7.0]
    assert s.objective == pytest.approx(14.0)  # the model counts the demand existing services hold
    two = recommend_sites(DEMAND_XY, DEMAND, _line(0), CANDIDATES, 2, 10 * KM)
    assert two.chosen.tolist() == [2, 1] and two.added.tolist() == [7.0, 2.0]  # S3 adds only p5 then


def test_boundary_is_inclusive() -> None:
    s = recommend_sites(_line(0), [5.0], [], _line(10), 1, 10 * KM)
    assert s.added.tolist() == [5.0]
    t = recommend_sites(_line(0), [5.0], [], _line(10.001), 1, 10 * KM)
    assert t.empty and t.status == "out_of_reach"


def test_honest_empty_answers() -> None:
    zero = recommend_sites(DEMAND_XY, DEMAND, [], CANDIDATES, 0, 10 * KM)
    assert zero.empty and zero.status == "no_sites_requested"
    assert zero.alone.tolist() == [7.0, 8.0, 7.0]  # still says what each would add
    everyone = recommend_sites(DEMAND_XY, DEMAND, _line(20), CANDIDATES, 2, 25 * KM)
    assert everyone.empty and everyone.status == "all_covered" and everyone.uncovered_before == 0
    beyond = recommend_sites(DEMAND_XY, DEMAND, [], _line(100), 2, 10 * KM)
    assert beyond.empty and beyond.status == "out_of_reach"


def test_sites_that_add_nothing_are_not_recommended() -> None:
    # Two points, one candidate at each: K = 5 recommends the two that add, no more.
    s = recommend_sites(_line(0, 50), [1.0, 2.0], [], _line(0, 50, 1, 51), 5, 5 * KM)
    assert s.chosen.tolist() == [1, 0] and s.added.tolist() == [2.0, 1.0]
    assert s.status == "optimal"


def test_zero_demand_points_never_attract_a_site() -> None:
    # A place without a count (a reserve the census did not enumerate) weighs 0.
    s = recommend_sites(_line(0, 50), [0.0, 2.0], [], _line(0, 50), 2, 5 * KM)
    assert s.chosen.tolist() == [1]


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        recommend_sites(DEMAND_XY, DEMAND, [], CANDIDATES, -1, 10 * KM)
    with pytest.raises(ValueError):
        recommend_sites(DEMAND_XY, DEMAND[:2], [], CANDIDATES, 1, 10 * KM)
    with pytest.raises(ValueError):
        recommend_sites(DEMAND_XY, -DEMAND, [], CANDIDATES, 1, 10 * KM)
    with pytest.raises(ValueError):
        recommend_sites(DEMAND_XY, DEMAND, [], CANDIDATES, 1, 0.0)


def _brute_force(cover: np.ndarray, weight: np.ndarray, before: np.ndarray, k: int) -> float:
    best = 0.0
    for subset in itertools.combinations(range(cover.shape[1]), k):
        reached = before | cover[:, list(subset)].any(axis=1)
        best = max(best, float(weight[reached & ~before].sum()))
    return best


@pytest.mark.parametrize(("seed", "dominance"), [(0, True), (1, True), (2, True), (0, False), (1, False)])
def test_reductions_keep_the_optimum(seed: int, dominance: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Against every subset of K candidates: duplicates, dominated candidates and grouped
    demand rows never change the best coverage (with or without the dominance search)."""
    if not dominance:
        monkeypatch.setattr(planning, "DOMINANCE_BUDGET", 0.0)
    rng = np.random.default_rng(seed)
    dxy = rng.uniform(0, 60 * KM, (40, 2))
    weight = rng.integers(0, 50, 40).astype(float)
    exist = rng.uniform(0, 60 * KM, (2, 2))
    cxy = rng.uniform(0, 60 * KM, (12, 2))
    cxy = np.vstack([cxy, cxy[:2]])  # exact duplicates of the first two
    radius = 12 * KM
    dist_c = np.hypot(dxy[:, None, 0] - cxy[None, :, 0], dxy[:, None, 1] - cxy[None, :, 1])
    dist_e = np.hypot(dxy[:, None, 0] - exist[None, :, 0], dxy[:, None, 1] - exist[None, :, 1])
    before = (dist_e <= radius).any(axis=1)
    for k in (1, 3):
        s = recommend_sites(dxy, weight, exist, cxy, k, radius)
        assert s.covered_before.tolist() == before.tolist()
        assert s.newly_covered == pytest.approx(_brute_force(dist_c <= radius, weight, before, k))
        assert s.objective == pytest.approx(s.covered_before_total + s.newly_covered)
        assert np.all(np.diff(s.added) <= 1e-9)  # ranked by what each adds


def test_a_model_too_large_is_refused_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "MAX_MODEL_CELLS", 4)
    with pytest.raises(UserError) as caught:
        recommend_sites(DEMAND_XY, DEMAND, [], CANDIDATES, 2, 10 * KM)
    assert caught.value.key == "plan.error.too_large"


# -- the demo: the GeoPackage, recomputed independently ---------------------------------------


@pytest.fixture(scope="module")
def demo_plans(demo_store, compiled_demo, geography, tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Plans of the demo for K = 0, 1, 3 (needs assessment: two existing services); K = 3
    through the command line ``cartography plan``, the others through the same functions."""
    folder = tmp_path_factory.mktemp("plans")
    out = {
        k: write_plan(plan_cycle(compiled_demo, geography, "needs_assessment", k), folder / f"plan-{k}.gpkg")
        for k in (0, 1)
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CARTO_DATABASE_URL", demo_store.url)
        target = folder / "plan-3.gpkg"
        args = ["plan", "--cycle", "2019-2020", "--category", "needs_assessment", "--new-sites", "3"]
        assert main([*args, "-o", str(target)]) == 0
        out[3] = target
    return out


def _metadata(path: Path) -> dict[str, object]:
    frame = pyogrio.read_dataframe(path, layer="metadata")
    out: dict[str, object] = {}
    for key, value in zip(frame["key"], frame["value"], strict=True):
        try:
            out[key] = json.loads(value)
        except (TypeError, ValueError):
            out[key] = value
    return out


def _recompute(path: Path, compiled_demo) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, pd.DataFrame]:
    """Coverage from the GeoPackage alone, in its stated CRS and radius, with plain numpy."""
    meta = _metadata(path)
    crs, radius = str(meta["distance_crs"]), float(meta["radius_m"])  # type: ignore[arg-type]
    demand = pyogrio.read_dataframe(path, layer="demand_points").to_crs(crs)
    candidates = pyogrio.read_dataframe(path, layer="candidates").to_crs(crs)
    existing = pyogrio.read_dataframe(path, layer="existing_services").to_crs(crs)
    # The existing services are the compile's French in-person services of the category.
    sp = compiled_demo.layers["service_points"]
    expected = sp[sp["french"] & (sp["mode"] == "in_person") & (sp["category"] == "needs_assessment")]
    assert sorted(existing["service_code"]) == sorted(expected["service_code"]) and len(existing) == 2
    dxy = np.column_stack([demand.geometry.x, demand.geometry.y])
    exy = np.column_stack([existing.geometry.x, existing.geometry.y])
    cxy = np.column_stack([candidates.geometry.x, candidates.geometry.y])
    before = (np.hypot(dxy[:, None, 0] - exy[None, :, 0], dxy[:, None, 1] - exy[None, :, 1]) <= radius).any(axis=1)
    reach = np.hypot(dxy[:, None, 0] - cxy[None, :, 0], dxy[:, None, 1] - cxy[None, :, 1]) <= radius
    weight = demand["demand"].fillna(0.0).to_numpy()  # a reserve without a count weighs 0
    return weight, before, reach, demand["covered_before"].to_numpy(dtype=bool), candidates


def test_plan_gpkg_agrees_with_an_independent_recomputation(demo_plans, compiled_demo) -> None:
    path = demo_plans[3]
    assert {"demand_points", "candidates", "recommended", "metadata"} <= set(pyogrio.list_layers(path)[:, 0])
    weight, before, reach, stated_before, candidates = _recompute(path, compiled_demo)
    assert stated_before.tolist() == before.tolist()
    alone = (reach & ~before[:, None]).T @ weight
    assert np.allclose(candidates["demand_newly_covered_alone"].to_numpy(), alone, rtol=0, atol=1e-6)
    assert set(candidates["kind"]) == {"site", "municipality", "community", "tract"}
    # The recommended sites add, in order, what the recomputation says they add.
    recommended = pyogrio.read_dataframe(path, layer="recommended").sort_values("rank")
    assert recommended["rank"].tolist() == [1, 2, 3]
    covered = before.copy()
    position = {cid: i for i, cid in enumerate(candidates["id"])}
    for _, row in recommended.iterrows():
        j = position[row["candidate_id"]]
        adds = weight[reach[:, j] & ~covered].sum()
        assert row["demand_newly_covered"] == pytest.approx(adds)
        covered |= reach[:, j]
    added = recommended["demand_newly_covered"].to_numpy()
    assert np.all(np.diff(added) <= 0) and added[0] == pytest.approx(recommended["demand_newly_covered_alone"].iloc[0])
    assert recommended["cumulative_covered"].to_numpy() == pytest.approx(np.cumsum(added))
    meta = _metadata(path)
    assert meta["status"] == "optimal" and meta["optimality_gap"] == 0.0 and meta["distance_crs"] == "EPSG:2958"
    assert meta["radius_m"] == 30_000.0 and meta["demand"] == "pop_2021" and "spopt" in str(meta["solver"])
    uncovered = weight[~before].sum()
    assert recommended["share_of_uncovered"].to_numpy() == pytest.approx(added / uncovered)
    assert meta["demand_newly_covered"] == pytest.approx(added.sum())


def test_k1_is_the_best_single_candidate(demo_plans, compiled_demo) -> None:
    weight, before, reach, _, _ = _recompute(demo_plans[1], compiled_demo)
    alone = (reach & ~before[:, None]).T @ weight
    recommended = pyogrio.read_dataframe(demo_plans[1], layer="recommended")
    assert len(recommended) == 1
    assert recommended["demand_newly_covered"].iloc[0] == pytest.approx(alone.max())


def test_k3_covers_at_least_as_much_as_a_greedy_three(demo_plans, compiled_demo) -> None:
    weight, before, reach, _, _ = _recompute(demo_plans[3], compiled_demo)
    covered = before.copy()
    greedy = 0.0
    for _ in range(3):
        gains = (reach & ~covered[:, None]).T @ weight
        j = int(np.argmax(gains))
        greedy += gains[j]
        covered |= reach[:, j]
    recommended = pyogrio.read_dataframe(demo_plans[3], layer="recommended")
    assert recommended["demand_newly_covered"].sum() >= greedy - 1e-6


def test_k0_is_an_empty_answer_not_an_error(demo_plans) -> None:
    recommended = pyogrio.read_dataframe(demo_plans[0], layer="recommended")
    assert len(recommended) == 0
    assert _metadata(demo_plans[0])["status"] == "no_sites_requested"
    assert len(pyogrio.read_dataframe(demo_plans[0], layer="candidates")) > 400


def test_a_category_covering_everyone_gives_an_empty_answer(compiled_demo, geography, tmp_path: Path) -> None:
    plan = plan_cycle(compiled_demo, geography, "needs_assessment", 3, radius_km=200)
    assert plan.solution.status == "all_covered" and plan.layers["recommended"].empty
    assert any("déjà" in line for line in plan_summary(plan, "fr"))
    assert any("already" in line for line in plan_summary(plan, "en"))
    written = write_plan(plan, tmp_path / "all.gpkg")
    assert len(pyogrio.read_dataframe(written, layer="recommended")) == 0


def test_unenumerated_reserves_have_no_demand_not_zero(compiled_demo, geography) -> None:
    plan = plan_cycle(compiled_demo, geography, "health", 1)
    points = plan.layers["demand_points"]
    reserves = points[~points["enumerated"]]
    assert len(reserves) and reserves["demand"].isna().all()
    assert set(plan.metadata["demand_not_enumerated"]) == set(reserves["csd"])


def test_words_for_readers(compiled_demo, geography) -> None:
    plan = plan_cycle(compiled_demo, geography, "housing", 2)  # no existing service
    fr, en = plan_summary(plan, "fr"), plan_summary(plan, "en")
    assert any("Aucun service en français en personne" in line for line in fr)
    assert any("No French in-person service" in line for line in en)
    lines = recommended_lines(plan, "fr")
    assert len(lines) == 2 and lines[0].startswith("1. ") and "habitants" in lines[0]
    assert plan.metadata["label"].startswith("Données fictives")


def test_user_errors(compiled_demo, geography, demo_store, monkeypatch, tmp_path: Path, capsys) -> None:
    with pytest.raises(UserError):
        plan_cycle(compiled_demo, geography, "nope", 1)
    with pytest.raises(UserError):
        plan_cycle(compiled_demo, geography, "health", 51)
    with pytest.raises(UserError):
        plan_cycle(compiled_demo, geography, "health", 1, radius_km=0)
    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store.url)
    args = ["plan", "--cycle", "2019-2020", "--category", "nope", "--new-sites", "1", "-o", str(tmp_path / "x.gpkg")]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "Catégorie inconnue" in err and "Traceback" not in err
    assert not (tmp_path / "x.gpkg").exists()


def test_table_deck_has_one_plan_slide_per_requested_category(compiled_demo, demo_store, geography) -> None:
    from cartography.reports import table_deck

    status = demo_store.status("2019-2020")
    plain = table_deck(compiled_demo, status, geography)
    deck = table_deck(compiled_demo, status, geography, plan_categories=["needs_assessment", "housing"])
    assert len(deck.prs.slides) == len(plain.prs.slides) + 2
    texts = [
        " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) for slide in deck.prs.slides
    ]
    plan_texts = [text for text in texts if "Où ajouter un service" in text]
    assert len(plan_texts) == 2
    assert "Évaluation des besoins" in plan_texts[0] and "Logement" in plan_texts[1]
    assert "1. " in plan_texts[0] and "habitants" in plan_texts[0]
    assert any(shape.shape_type == 13 for shape in deck.prs.slides[texts.index(plan_texts[0])].shapes)  # a picture
