"""The domain runs without Qt: importing every module outside kiosk/ui loads no PySide6."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def domain_modules() -> list[str]:
    modules = []
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        if "ui" in relative.parts or relative.name == "__main__":
            continue
        modules.append(".".join(relative.parts).removesuffix(".__init__"))
    return modules


def test_domain_modules_do_not_import_qt():
    modules = domain_modules()
    assert "kiosk.intake.session" in modules and "kiosk.storage.store" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_every_kind_of_step_has_a_screen_in_the_registry():
    from kiosk.intake.records import StepKind
    from kiosk.ui.screens.steps import STEP_SCREENS

    assert set(STEP_SCREENS) == set(StepKind)


def test_the_layer_contracts_hold():
    """import-linter's contracts in pyproject.toml: ui → service → domain ← storage."""
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "BROKEN" not in result.stdout
