"""importexport-report: diff sections and exit status, show, one-line errors, replay of one case."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conformance.report.cli import main
from tests.mutants.harness import clean_environment
from tests.support.mock_process import MockProcess


def _record(case_id: str, outcome: str, operation: str = "CancelJob", scheme: str = "sigv4",
            level: str = "documented", tags=("lifecycle",)) -> dict:
    record = {"id": case_id, "scheme": scheme, "operation": operation, "level": level, "tags": list(tags),
              "outcome": outcome, "node_id": f"fixtures/x.yaml::{case_id}[{scheme}]"}
    if outcome == "failed":
        record["failed_step"] = "steps[0] CancelJob"
        record["mismatches"] = [{"check": "code", "message": "unexpected error Code",
                                 "expected": "InvalidJobIdException", "actual": "NoSuchJob"}]
    return record


def _document(*records) -> dict:
    return {"format": 2, "run": {"endpoint": "http://127.0.0.1:1", "auth": ["sigv4"], "started": "t"},
            "cases": list(records)}


@pytest.fixture
def runs(tmp_path):
    base = _document(_record("A.Regressed", "passed"), _record("A.Fixed", "failed"),
                     _record("A.StillBroken", "error", operation="GetStatus"), _record("A.Removed", "passed"),
                     _record("A.Deviation", "passed"), _record("A.Stable", "passed"),
                     _record("A.Skipped", "passed", level="inferred"))
    new = _document(_record("A.Regressed", "failed"), _record("A.Fixed", "passed"),
                    _record("A.StillBroken", "xfailed", operation="GetStatus"), _record("A.Added", "failed"),
                    _record("A.Deviation", "xfailed"), _record("A.Stable", "passed"),
                    _record("A.Skipped", "skipped", level="inferred"))
    paths = []
    for name, document in (("base", base), ("new", new)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_diff_json_sorts_every_item_and_exits_1_on_a_regression(runs, capsys):
    assert main(["diff", *runs, "--format", "json"]) == 1
    difference = json.loads(capsys.readouterr().out)
    items = {name: [entry["item"] for entry in difference[name]] for name in
             ("new_failures", "new_cases_failing", "fixes", "still_failing", "deviations_added", "added", "removed")}
    assert items == {"new_failures": ["A.Regressed[sigv4]"], "new_cases_failing": ["A.Added[sigv4]"],
                     "fixes": ["A.Fixed[sigv4]"], "still_failing": ["A.StillBroken[sigv4]"],
                     "deviations_added": ["A.Deviation[sigv4]"], "added": ["A.Added[sigv4]"],
                     "removed": ["A.Removed[sigv4]"]}
    assert difference["regressed"] is True and difference["regressions"] == 2
    assert difference["new"]["scores_by_level"]["documented"]["pass_rate"] == round(2 / 6, 4)


def test_diff_markdown_groups_by_operation(runs, capsys, tmp_path):
    output = tmp_path / "diff.md"
    assert main(["diff", *runs, "--output", str(output)]) == 1
    text = capsys.readouterr().out
    assert text == output.read_text(encoding="utf-8")
    assert "**2 regressions.**" in text
    regressions = text.split("## New failures (regressions): passed in BASE, fail now (1)")[1].split("\n## ")[0]
    assert "### CancelJob" in regressions
    assert "- `A.Regressed[sigv4]` (documented): passed -> failed: steps[0] CancelJob: [code] unexpected error " \
           "Code (expected InvalidJobIdException, got NoSuchJob)" in regressions
    added = text.split("## New cases that fail (regressions) (1)")[1].split("\n## ")[0]
    assert "- `A.Added[sigv4]` (documented): failed: steps[0] CancelJob: [code]" in added
    assert "### GetStatus" in text.split("## Still failing")[1].split("\n## ")[0]


def test_diff_of_a_run_with_itself_passes(runs, capsys):
    assert main(["diff", runs[0], runs[0]]) == 0
    assert "**No regressions.**" in capsys.readouterr().out


def _write(tmp_path, name: str, document: dict) -> str:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_a_listed_deviation_that_now_passes_is_a_regression(tmp_path, capsys):
    base = _write(tmp_path, "base", _document(_record("A.Known", "xfailed")))
    new = _write(tmp_path, "new", _document(_record("A.Known", "xpassed")))
    assert main(["diff", base, new]) == 1
    text = capsys.readouterr().out
    section = text.split("## Listed deviations that now pass")[1].split("\n## ")[0]
    assert "- `A.Known[sigv4]` (documented): xfailed -> xpassed: listed as a known deviation, but it passed" in section
    assert main(["gate", new]) == 1


def test_a_subset_run_compares_only_what_it_selected(tmp_path, capsys):
    suite = ["A.One[sigv2]", "A.One[sigv4]", "A.Two[sigv4]", "A.Three[sigv4]"]
    base = _document(_record("A.One", "passed", scheme="sigv2"), _record("A.One", "passed"),
                     _record("A.Two", "passed"), _record("A.Three", "passed"))
    base["run"]["suite_items"] = suite
    subset = _document(_record("A.Two", "passed"), _record("A.New", "passed"))
    subset["run"]["suite_items"] = [*suite, "A.New[sigv4]"]
    assert main(["diff", _write(tmp_path, "base", base), _write(tmp_path, "new", subset), "--format", "json"]) == 0
    difference = json.loads(capsys.readouterr().out)
    assert difference["removed"] == [] and difference["not_compared"] == 3
    assert [entry["item"] for entry in difference["added"]] == ["A.New[sigv4]"]
    # the other way round: the items BASE did not select are not new cases, even when they fail now
    base_subset = _document(_record("A.Two", "passed"))
    base_subset["run"]["suite_items"] = suite
    full = _document(_record("A.One", "failed"), _record("A.Two", "passed"), _record("A.Gone", "passed"))
    full["run"]["suite_items"] = suite[1:3]
    assert main(["diff", _write(tmp_path, "base2", base_subset), _write(tmp_path, "new2", full), "--format",
                 "json"]) == 0
    difference = json.loads(capsys.readouterr().out)
    assert difference["new_cases_failing"] == [] and difference["added"][0]["item"] == "A.Gone[sigv4]"
    assert difference["not_compared"] == 1 and difference["regressions"] == 0
    assert difference["incomplete"] == [] and difference["regressed"] is False


def test_an_incomplete_run_fails_the_gate_and_says_why(tmp_path, capsys):
    new = _document(_record("A.One", "passed"))
    new["run"].update(complete=False, exit_status=4, incomplete_reasons=["the suite exited with status 4"])
    path = _write(tmp_path, "new", new)
    assert main(["gate", path, "--baseline", path]) == 1
    text = capsys.readouterr().out
    assert "**No regressions.**" in text
    assert "**The run did not complete** (a regression of the run, not of conformance): the suite exited with " \
           "status 4." in text


def test_without_a_baseline_every_failing_item_counts(tmp_path, capsys):
    passing = _write(tmp_path, "passing", _document(_record("A.One", "passed"), _record("A.Two", "skipped")))
    failing = _write(tmp_path, "failing", _document(_record("A.One", "passed"), _record("A.Two", "error")))
    assert main(["gate", passing]) == 0
    assert "No baseline: every failing item counts." in capsys.readouterr().out
    assert main(["gate", failing]) == 1
    assert "- `A.Two[sigv4]` (documented): error" in capsys.readouterr().out


def test_show_prints_scores_and_matrix(runs, capsys):
    assert main(["show", runs[1]]) == 0
    text = capsys.readouterr().out
    assert "documented    33.3% conform  (2 passed, 4 failed, 0 not run)" in text
    assert "inferred        n/a conform  (0 passed, 0 failed, 1 not run)" in text
    matrix_row = next(line for line in text.splitlines() if line.startswith("CancelJob "))
    assert matrix_row.split() == ["CancelJob", "2/3", "40.0%"]


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("{not json", "not a results.json (invalid JSON at line 1"),
    ('{"run": {}, "cases": [{"id": "A"}]}', "cases[0] lacks outcome, node_id"),
    ("[]", "not a results.json (expected an object with `run` and `cases`)"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, runs, capsys, content, message):
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["diff", runs[0], str(path)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith(f"importexport-report: error: {path}: ") and message in error


def test_replay_runs_exactly_one_case_and_prints_its_exchanges(tmp_path):
    mock = MockProcess("--admin", log_path=tmp_path / "mock.log", env=clean_environment()).start()
    try:
        target = tmp_path / "target.yaml"
        target.write_text(f"endpoint_url: {mock.url}\ncontrol_url: {mock.url}/_mock\n", encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "conformance.report.cli", "replay", "CancelJob.FreshJobSucceeds",
                               "--target-config", str(target), "--auth", "sigv4"], cwd=tmp_path,
                              env=clean_environment(), capture_output=True, text=True, timeout=300, check=False)
        missing = subprocess.run([sys.executable, "-m", "conformance.report.cli", "replay", "CancelJob.Fresh",
                                  "--target-config", str(target)], cwd=tmp_path, env=clean_environment(),
                                 capture_output=True, text=True, timeout=300, check=False)
    finally:
        mock.stop()
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("=== ") == 1 and "CancelJob.FreshJobSucceeds[sigv4]: passed" in done.stdout
    assert "--- steps[0] CreateJob -> 200 OK" in done.stdout and "CancelJob -> 200 OK" in done.stdout
    assert "Reproduce with curl" in done.stdout and "Response: HTTP 200 OK" in done.stdout
    assert done.stdout.rstrip().splitlines()[-1].startswith("1 passed")
    assert missing.returncode == 2
    assert missing.stderr == "importexport-report: error: no case with id 'CancelJob.Fresh' in the suite " \
                             "(ids are case-sensitive)\n"
