"""The CI recipe: examples/ci-gate.sh passes against the bundled mock and fails against a broken
server, naming the regressed case ids; both recipe files call that script and keep the reports."""
from __future__ import annotations

import json

import yaml

from tests.gate.conftest import DEVIATION_ID, GATE_SCRIPT

RECIPES = ("github-actions.yml", "gitlab-ci.yml")
REGRESSED = ("CancelJob.OtherJobsUnaffected[sigv4]", "CancelJob.CancelTwiceRejected[sigv4]")


def test_gate_passes_against_the_bundled_mock(gate_runs):
    clean = gate_runs["clean"]
    assert clean.status == 0, clean.stdout[-3000:] + clean.stderr[-3000:]
    assert "no baseline results.json" in clean.stdout
    for name in ("results.json", "junit.xml", "coverage.md", "index.html"):
        assert (clean.report_dir / name).is_file(), name
    assert "**No regressions.**" in (clean.report_dir / "diff.md").read_text(encoding="utf-8")
    assert clean.stdout.rstrip().endswith("ci-gate: passed")


def test_gate_fails_against_a_broken_server_and_names_the_regressions(gate_runs):
    broken = gate_runs["broken"]
    assert broken.status == 1, broken.stdout[-3000:] + broken.stderr[-3000:]
    assert "ci-gate: FAILED: regressions" in broken.stderr
    diff = (broken.report_dir / "diff.md").read_text(encoding="utf-8")
    regressions = diff.split("## New failures (regressions)")[1].split("\n## ")[0]
    for item in REGRESSED:
        line = next(line for line in regressions.splitlines() if f"`{item}`" in line)
        assert "): passed -> failed: steps[" in line and ": [" in line and "(expected " in line, line
        assert line in broken.stdout
    assert f"`{DEVIATION_ID}[sigv4]`" not in regressions
    added = diff.split("## Passed before, now a known deviation")[1].split("\n## ")[0]
    assert f"`{DEVIATION_ID}[sigv4]` (documented): passed -> xfailed" in added


def test_a_fixed_deviation_in_a_subset_run_fails_the_gate_and_nothing_else_is_judged(gate_runs):
    fixed = gate_runs["fixed"]
    assert fixed.status == 1, fixed.stdout[-3000:] + fixed.stderr[-3000:]
    diff = (fixed.report_dir / "diff.md").read_text(encoding="utf-8")
    section = diff.split("## Listed deviations that now pass")[1].split("\n## ")[0]
    assert f"- `{DEVIATION_ID}[sigv4]` (documented): passed -> xpassed: listed as a known deviation, but it " \
           "passed" in section
    assert "## Cases removed (0)" in diff and "items were selected by only one of the two runs" in diff
    selection = json.loads((fixed.report_dir / "results.json").read_text(encoding="utf-8"))["run"]["selection"]
    assert selection["keyword"] == DEVIATION_ID and selection["selected"] == 1


def test_broken_run_records_each_failure_with_its_exchange(gate_runs):
    results = json.loads((gate_runs["broken"].report_dir / "results.json").read_text(encoding="utf-8"))
    run = results["run"]
    assert run["command_line"].startswith("importexport-conformance --target-config=")
    assert run["command_line"].endswith("-k CancelJob --auth sigv4 -p no:randomly")
    assert "--deviations" in run["command_line"]
    assert run["suite_version"]
    assert set(run["seeds"]) == {"property_seed", "randomly_seed"}
    failed = [record for record in results["cases"] if record["outcome"] == "failed"]
    assert failed
    for record in failed:
        exchange = record["exchange"]
        assert exchange["curl"].startswith("curl ")
        assert exchange["request"]["method"] in ("GET", "POST")
        assert exchange["response"]["status"] >= 200
        assert record["steps"][-1]["label"] == record["failed_step"] or record["steps"]
    documented = run["scores_by_level"]["documented"]
    assert documented["failed"] > 0 and 0 <= documented["pass_rate"] < 1


def test_coverage_says_which_pairs_passed(gate_runs):
    clean = (gate_runs["clean"].report_dir / "coverage.md").read_text(encoding="utf-8")
    broken = (gate_runs["broken"].report_dir / "coverage.md").read_text(encoding="utf-8")
    assert "| CancelJob | CanceledJobIdException | passed |" in clean
    assert "| CancelJob | CanceledJobIdException | **FAILED** |" in broken
    assert "Pass rate: documented 100.0%, inferred 100.0%." in clean


def test_both_recipes_run_the_gate_script_and_keep_the_reports():
    gate = GATE_SCRIPT.read_text(encoding="utf-8")
    assert 'SUITE_COMMAND="${SUITE_COMMAND:-importexport-conformance}"' in gate
    assert 'REPORT_COMMAND="${REPORT_COMMAND:-importexport-report}"' in gate
    for name in RECIPES:
        path = GATE_SCRIPT.with_name(name)
        text = path.read_text(encoding="utf-8")
        yaml.safe_load(text)
        assert "bash ci/conformance-gate.sh" in text, name
        assert "SUITE_COMMAND" not in text and "REPORT_COMMAND" not in text, name
        assert "importexport-mock --port 8080 --admin >" in text and "--jobs-per-day" not in text, name
        assert 'pip install "importexport-conformance @ git+${SUITE_REPO}"' in text, name
        assert "${SUITE_REPO:?" in text and "OWNER" not in text, name
        for variable in ("TARGET_CONFIG", "DEVIATIONS", "REPORT_DIR", "BASELINE"):
            assert variable in text, (name, variable)
        assert "reports/" in text and "results.json" in text, name
