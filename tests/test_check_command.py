"""``python -m kiosk check``: the load report on the command line."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def check(*paths) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kiosk", "check", *map(str, paths)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_reports_items_and_unsupported_features(shared_questionnaire):
    result = check(shared_questionnaire("09_spineai_lumbar_triage.json"),
                   shared_questionnaire("03_r4_lifelines_f201.json"))
    assert result.returncode == 0, result.stderr
    assert "SpineAI Questionnaire: 42 items, 8 notes" in result.stdout
    assert "itemControl 'annotate-image'" in result.stdout
    assert "03_r4_lifelines_f201.json" in result.stdout


def test_invalid_file_exits_non_zero_with_path_and_reason(tmp_path, shared_questionnaire):
    broken = tmp_path / "patient.json"
    broken.write_text('{"resourceType": "Patient"}')
    result = check(shared_questionnaire("03_r4_lifelines_f201.json"), broken)
    assert result.returncode == 1
    assert f"{broken}: not a usable Questionnaire: resourceType" in result.stderr
    assert "03_r4_lifelines_f201.json" in result.stdout  # the good file is still reported
