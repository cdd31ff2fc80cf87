"""Benchmark: server-side time of the map page when a filter changes (target under 0.5 s).

Runs the real app script with streamlit.testing on the demo cycle (invented data), signed in
as a planner, opens the map page, then changes filters one at a time and times each rerun.
AppTest reruns the whole page (not only the map fragment, as a browser session does), so the
numbers are an upper bound of what a user waits for on the server.

Run: .venv/bin/python benchmarks/bench_app.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CARTO_DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        os.environ["CARTO_DATA_DIR"] = tmp
        from streamlit.testing.v1 import AppTest

        from cartography.services.demo import load_demo
        from cartography.services.workspace import Store, load_geography

        load_demo(Store(), load_geography().gazetteer(), Path(tmp) / "wb")
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["user"] = {"username": "table", "role": "planner", "org_id": None}
        at.run()
        at.switch_page("src/cartography/ui/pages/map.py")
        t0 = time.perf_counter()
        at.run()
        print(f"map page, first render (compile + caches): {time.perf_counter() - t0:.2f} s")
        changes = [
            ("map_regions", "select", "elgin"),
            ("map_level", "set_value", "ct"),
            ("map_category", "set_value", "health"),
            ("map_indicator", "set_value", "gap_index"),
            ("map_regions", "unselect", "elgin"),
            ("map_level", "set_value", "region"),
            ("map_level", "set_value", "csd"),
            ("map_category", "set_value", "all"),
            ("map_regions", "select", "oxford"),
        ]
        times = []
        for key, action, value in changes:
            widget = at.multiselect(key=key) if key == "map_regions" else at.selectbox(key=key)
            getattr(widget, action)(value)
            t0 = time.perf_counter()
            at.run()
            elapsed = time.perf_counter() - t0
            assert not at.exception, at.exception
            times.append(elapsed)
            print(f"  {key} -> {value}: {elapsed:.3f} s")
        print(
            f"filter change rerun: median {statistics.median(times):.3f} s, max {max(times):.3f} s "
            f"over {len(times)} changes (target < 0.5 s)"
        )


if __name__ == "__main__":
    main()
