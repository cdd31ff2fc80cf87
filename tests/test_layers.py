"""Architecture: nothing below the UI imports streamlit, layers only import downward, and the
app and command line reach the store and files only through ``cartography.services``."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import cartography

PACKAGE = Path(cartography.__file__).parent
UI_PREFIXES = ("cartography.ui",)
LAYER = {
    "cartography.i18n": 0,
    "cartography.errors": 0,
    "cartography.rules": 0,
    "cartography.catalogue": 0,
    "cartography.escaping": 1,
    "cartography.incidents": 2,
    "cartography.vocabulary": 0,
    "cartography.model": 0,
    "cartography.paths": 0,
    "cartography.numbers": 0,
    "cartography.typography": 0,
    "cartography.template_spec": 0,
    "cartography.migrations": 2,
    "cartography.geography": 1,
    "cartography.geocoding": 1,
    "cartography.access": 1,
    "cartography.gaps": 1,
    "cartography.planning": 1,
    "cartography.comparison": 1,
    "cartography.compare_slides": 3,
    "cartography.privacy": 1,
    "cartography.validation": 1,
    "cartography.answers": 1,  # a member's answers as records, whatever they were typed into
    "cartography.io": 2,
    "cartography.compilation": 2,  # pure (no store, no files) but takes io's Geography
    "cartography.site_plan": 2,  # a site recommendation for a compiled cycle (pure, as compilation)
    "cartography.cycle_comparison": 2,  # two compiled cycles compared (pure, as compilation)
    "cartography.maps": 3,
    "cartography.palette": 0,  # pure data: maps and file styles (io.exports) share it
    "cartography.reports": 3,
    "cartography.plan_slides": 3,
    "cartography.services": 4,
    "cartography.ui": 5,
    "cartography.cli": 6,
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        out[name] = path
    return out


def _layer(module: str) -> int | None:
    best = None
    for prefix, level in LAYER.items():
        if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, level)
    return None if best is None else best[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_streamlit_below_the_ui() -> None:
    offenders = [
        name
        for name, path in _modules().items()
        if not name.startswith(UI_PREFIXES) and any(i.split(".")[0] == "streamlit" for i in _imports(path))
    ]
    assert offenders == []


def test_importing_everything_below_the_ui_does_not_load_streamlit() -> None:
    names = [
        n for n in _modules() if not n.startswith((*UI_PREFIXES, "cartography.migrations")) and n != "cartography.cli"
    ]
    code = "import sys\n" + "".join(f"import {n}\n" for n in names) + "print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_layers_only_import_downward() -> None:
    problems = []
    for name, path in _modules().items():
        own = _layer(name)
        if own is None:
            continue
        for imported in _imports(path):
            if not imported.startswith("cartography"):
                continue
            other = _layer(imported)
            if other is not None and other > own:
                problems.append(f"{name} (layer {own}) imports {imported} (layer {other})")
    assert problems == []


def test_the_app_and_the_command_line_reach_the_store_and_files_only_through_services() -> None:
    # io reads and writes; the workflows that use it are in services, written once for both.
    offenders = sorted(
        f"{name} imports {imported}"
        for name, path in _modules().items()
        if name.startswith(("cartography.ui", "cartography.cli"))
        for imported in _imports(path)
        if imported == "cartography.io" or imported.startswith("cartography.io.")
    )
    assert offenders == []


def test_io_holds_no_workflow() -> None:
    # io reads and writes what it is given: it never reaches up into a workflow.
    offenders = sorted(
        f"{name} imports {imported}"
        for name, path in _modules().items()
        if name.startswith("cartography.io")
        for imported in _imports(path)
        if imported.startswith("cartography.services")
    )
    assert offenders == []


def test_the_layer_table_covers_every_module() -> None:
    unplaced = sorted(name for name in _modules() if _layer(name) is None and name != "cartography")
    assert unplaced == []
