"""The plugin end to end: pytest runs in a subprocess on tiny case files against the stub endpoint.

Covers node ids and markers, -m/-k selection, skips, results.json and junit.xml, the deviations
file (xfail, strict XPASS, unknown ids), usage errors, collection errors, the bundled-mock path
(with the stub standing in for `python -m mockserver`), xdist, and that a run without case items
starts nothing.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.references import all_references as references

ENGINE_TESTS = Path(__file__).parent
REPO_ROOT = ENGINE_TESTS.parents[1]
DATA = ENGINE_TESTS / "data"
STUB_MOCK_MAIN = "import stub_server\nstub_server.main()\n"
FAILING_MOCK_MAIN = "import pathlib, sys\npathlib.Path('mock-was-started').touch()\nsys.exit(3)\n"


def make_project(root: Path, mock_main: str = STUB_MOCK_MAIN) -> Path:
    """A throwaway project: pytest.ini (the repo's markers), the stub cases, a stand-in mockserver."""
    shutil.copy(REPO_ROOT / "pytest.ini", root / "pytest.ini")
    (root / "fixtures" / "stub").mkdir(parents=True)
    shutil.copy(DATA / "project" / "stub-cases.yaml", root / "fixtures" / "stub" / "cases.yaml")
    for ignored in (root / "fixtures" / "templates", root / "fixtures" / "examples" / "reference"):
        ignored.mkdir(parents=True)
        (ignored / "not-a-case.yaml").write_text("manifestVersion: 2.0\n")
    (root / "mockserver").mkdir()
    (root / "mockserver" / "__init__.py").write_text("")
    (root / "mockserver" / "__main__.py").write_text(mock_main)
    return root


def run_pytest(project: Path, *args: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("IMPORTEXPORT_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    environment["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), str(ENGINE_TESTS)])
    environment["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    command = [sys.executable, "-m", "pytest", "-p", "conformance.plugin", "-p", "no:cacheprovider",
               "--rootdir", str(project), "-c", str(project / "pytest.ini"), "--xsd", str(DATA / "mini.xsd"), *args]
    return subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path)


@pytest.fixture
def external(project, stub_endpoint) -> list[str]:
    """Options for running against the stub as an external endpoint without control API or secondary."""
    config = project / "target.yaml"
    config.write_text(f"endpoint_url: {stub_endpoint}\n"
                      "accounts:\n  primary: {access_key_id: AKIAIOSFODNN7EXAMPLE, secret_access_key: x}\n")
    return ["--target-config", str(config)]


def collected(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_node_ids_expand_per_scheme_and_skip_manifests(project, external):
    result = run_pytest(project, *external, "--co", "-q")
    assert collected(result) == [
        f"fixtures/stub/cases.yaml::{name}" for name in (
            "Stub.GetStatusPending[sigv2]", "Stub.GetStatusPending[sigv4]", "Stub.UnknownJob[sigv2]",
            "Stub.UnknownJob[sigv4]", "Stub.WrongExpectation[sigv2]", "Stub.WrongExpectation[sigv4]",
            "Stub.Unsigned", "Stub.NeedsSecondary[sigv2]", "Stub.NeedsSecondary[sigv4]",
            "Stub.NeedsControl[sigv2]", "Stub.FetchLabel[sigv4]")
    ]


@pytest.mark.parametrize("selection, expected", [
    (["-m", "getstatus and inferred"], ["Stub.UnknownJob[sigv2]", "Stub.UnknownJob[sigv4]"]),
    (["-m", "validate_only and sigv4"], ["Stub.UnknownJob[sigv4]"]),
    (["-m", "example"], ["Stub.Unsigned"]),
    (["-m", "getshippinglabel or lifecycle and sigv2"], ["Stub.GetStatusPending[sigv2]", "Stub.FetchLabel[sigv4]"]),
    (["-k", "Stub.WrongExpectation and sigv2"], ["Stub.WrongExpectation[sigv2]"]),
    (["--auth", "sigv4", "-k", "Pending or Unsigned"], ["Stub.GetStatusPending[sigv4]", "Stub.Unsigned"]),
], ids=["operation-and-level", "tag-and-scheme", "example", "or", "case-id", "auth-option"])
def test_marker_and_keyword_selection(project, external, selection, expected):
    result = run_pytest(project, *external, "--co", "-q", *selection)
    assert [line.split("::")[1] for line in collected(result)] == expected


def test_results_json_and_junit(project, external, stub_endpoint):
    reports = project / "reports"
    result = run_pytest(project, *external, "--report-dir", str(reports))
    assert result.returncode == 1, result.stdout
    results = json.loads((reports / "results.json").read_text())
    run = results["run"]
    assert run["endpoint"] == stub_endpoint and run["auth"] == ["sigv2", "sigv4"]
    assert run["started"] <= run["finished"]
    assert run["counts"] == {"passed": 6, "failed": 2, "skipped": 3}
    assert run["counts_by_level"] == {"documented": {"passed": 4, "failed": 2, "skipped": 3},
                                      "inferred": {"passed": 2}}
    by_node = {record["node_id"]: record for record in results["cases"]}
    unknown = by_node["fixtures/stub/cases.yaml::Stub.UnknownJob[sigv4]"]
    assert {key: value for key, value in unknown.items() if key != "duration_s"} == {
        "id": "Stub.UnknownJob", "node_id": "fixtures/stub/cases.yaml::Stub.UnknownJob[sigv4]", "scheme": "sigv4",
        "operation": "GetStatus", "level": "inferred", "tags": ["validate-only"], "example": False,
        "expected_status": "4xx", "expected_code": ["InvalidJobIdException", "ExpiredJobIdException"],
        "outcome": "passed", "source": "F11", "file": "fixtures/stub/cases.yaml",
        "doc": "An unknown job id is rejected.", "decision": "X1: any of the two codes is accepted.",
        "references": [{"id": "F11", "kind": "fact", "text": references()["F11"].text,
                        "addresses": ["https://docs.aws.amazon.com/AWSImportExport/latest/DG/Errors.html"]}],
    }
    assert unknown["duration_s"] >= 0
    wrong = by_node["fixtures/stub/cases.yaml::Stub.WrongExpectation[sigv2]"]
    assert wrong["outcome"] == "failed" and wrong["failed_step"] == "steps[0] GetStatus"
    assert wrong["mismatches"] == [{"check": "xpath", "message": "//ie:ProgressCode equals",
                                    "expected": "'Complete'", "actual": "['Pending']"}]
    assert by_node["fixtures/stub/cases.yaml::Stub.Unsigned"]["example"] is True
    needs_control = by_node["fixtures/stub/cases.yaml::Stub.NeedsControl[sigv2]"]
    assert needs_control["outcome"] == "skipped"
    assert needs_control["skip_reason"] == ("needs the mock's control API; give --control-url or control_url in "
                                            "the target config")
    assert run["not_run"] == {needs_control["skip_reason"]: 1,
                              "needs a secondary account; the target config has no accounts.secondary": 2}
    assert run["target"]["endpoint"] == stub_endpoint and run["target"]["control_url"] is None
    assert run["selection"] == {"paths": ["fixtures"], "keyword": None, "markers": None, "deviations": None,
                                "selected": 11, "deselected": 0}
    assert run["suite_version"] and run["suite_commit"]
    junit = (reports / "junit.xml").read_text()
    assert "testcase" in junit and f'name="importexport.suite_version" value="{run["suite_version"]}"' in junit
    assert "needs the mock&apos;s control API" in junit or "needs the mock's control API" in junit
    assert "Reproduce with curl" in result.stdout
    assert "Sources and decisions cited:\n  F4 (fact): GetStatus answers" in result.stdout
    assert "    https://docs.aws.amazon.com/AWSImportExport/latest/DG/WebGetStatus.html" in result.stdout


def test_skip_reasons_are_shown(project, external):
    for flags in (["-rs"], []):
        result = run_pytest(project, *external, *flags, "-k", "Needs")
        assert "needs a secondary account; the target config has no accounts.secondary" in result.stdout
        assert "needs the mock's control API; give --control-url" in result.stdout
    assert "not run: 3 items, by reason:" in result.stdout


def test_deviations_run_as_strict_xfail(project, external):
    reports = project / "reports"
    deviations = project / "deviations.yaml"
    deviations.write_text("- id: Stub.WrongExpectation\n  reason: known bug 1\n"
                          "- id: Stub.GetStatusPending[sigv2]\n  reason: fixed since\n")
    result = run_pytest(project, *external, "--deviations", str(deviations), "--report-dir", str(reports),
                        "-k", "WrongExpectation or Pending")
    assert result.returncode == 1
    assert "[XPASS(strict)] known deviation: fixed since" in result.stdout
    outcomes = {record["node_id"].split("::")[1]: record["outcome"]
                for record in json.loads((reports / "results.json").read_text())["cases"]}
    assert outcomes == {"Stub.GetStatusPending[sigv2]": "xpassed", "Stub.GetStatusPending[sigv4]": "passed",
                        "Stub.WrongExpectation[sigv2]": "xfailed", "Stub.WrongExpectation[sigv4]": "xfailed"}


@pytest.mark.parametrize("entries, message", [
    ("- id: Stub.Nope\n  reason: r\n", "ERROR: --deviations {path}: [0].id: no case has the id Stub.Nope"),
    ("- id: Stub.FetchLabel[sigv2]\n  reason: r\n",
     "ERROR: --deviations {path}: [0].id: case Stub.FetchLabel does not run under sigv2 (it runs under sigv4)"),
    ("- id: Stub.Unsigned\n", "ERROR: --deviations {path}: [0]: 'reason' is a required property"),
], ids=["unknown-id", "unknown-scheme", "no-reason"])
def test_bad_deviations_are_usage_errors(project, external, entries, message):
    deviations = project / "deviations.yaml"
    deviations.write_text(entries)
    result = run_pytest(project, *external, "--deviations", str(deviations))
    assert result.returncode == 4
    assert message.format(path=deviations) in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_deviations_under_xdist_are_the_same_usage_error(project):
    deviations = project / "deviations.yaml"
    deviations.write_text("- id: Stub.Nope\n  reason: r\n")
    result = run_pytest(project, "-p", "xdist.plugin", "-n", "2", "--deviations", str(deviations))
    assert result.returncode == 4
    assert result.stderr.strip() == f"ERROR: --deviations {deviations}: [0].id: no case has the id Stub.Nope"


def test_bad_target_config_is_a_one_line_usage_error(project):
    config = project / "target.yaml"
    config.write_text("endpoint_url: http://127.0.0.1:1\ntimeout_s: soon\n")
    result = run_pytest(project, "--target-config", str(config))
    assert result.returncode == 4
    assert result.stderr.strip() == f"ERROR: --target-config {config}: timeout_s: 'soon' is not of type 'number'"


def test_bad_case_file_fails_collection_naming_file_case_and_field(project, external):
    (project / "fixtures" / "bad.yaml").write_text(
        "concern: x\ncases:\n- {id: Bad.One, operation: GetStatus, level: documented, source: 'F31',"
        " doc: d, steps: [{expect: {status: 2000}}]}\n")
    result = run_pytest(project, *external, "--co", "-q")
    assert result.returncode == 2
    assert ("fixtures/bad.yaml: case Bad.One: cases[0].steps[0].expect.status: 2000 is greater than the maximum "
            "of 599") in result.stdout
    assert "Traceback" not in result.stdout


def test_bundled_mock_runs_everything_including_control_and_secondary(project):
    result = run_pytest(project, "-q", "-rs", "-k", "not WrongExpectation")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "9 passed" in result.stdout


def test_bundled_mock_per_xdist_worker_and_results_in_the_controller(project):
    reports = project / "reports"
    result = run_pytest(project, "-p", "xdist.plugin", "-n", "2", "--report-dir", str(reports),
                        "-k", "not WrongExpectation")
    assert result.returncode == 0, result.stdout + result.stderr
    run = json.loads((reports / "results.json").read_text())["run"]
    assert run["counts"] == {"passed": 9} and run["endpoint"] == "bundled mock"


def test_no_case_paths_means_no_mock(tmp_path):
    project = make_project(tmp_path, FAILING_MOCK_MAIN)
    (project / "tests").mkdir()
    (project / "tests" / "test_plain.py").write_text("def test_plain():\n    assert True\n")
    assert run_pytest(project, "tests", "-q").returncode == 0
    assert run_pytest(project, "-q", "--collect-only").returncode == 0
    assert run_pytest(project, "-q", "--fixtures").returncode == 0
    assert not (project / "mock-was-started").exists()
    # the mock starts while the cases are collected; a run that selects none does not report it
    assert run_pytest(project, "-q", "-m", "sigv2 and example").returncode == 5
    failed = run_pytest(project, "-q", "-k", "Pending")
    assert (project / "mock-was-started").exists()
    assert "target unavailable: the bundled mock did not start: it exited with status 3" in failed.stdout


def test_test_modules_beside_the_suite_keep_assertion_rewriting(tmp_path):
    """Case runs drop pytest's assertion rewriting (their items never assert); `pytest tests` under
    the same ini must keep it, or every failure there loses its values."""
    project = make_project(tmp_path, FAILING_MOCK_MAIN)
    (project / "tests").mkdir()
    (project / "tests" / "test_values.py").write_text("def test_values():\n    assert [1, 2] == [1, 3]\n")
    result = run_pytest(project, "tests", "-q")
    assert result.returncode == 1
    assert "At index 1 diff: 2 != 3" in result.stdout  # the rewritten assertion explains itself


def test_path_option_values_are_attached_for_the_rerun():
    from conformance.options import attached_path_values
    assert attached_path_values(["--target-config", "/etc/t.yaml", "-k", "x", "--report-dir", "r", "--xsd"]) == [
        "--target-config=/etc/t.yaml", "-k", "x", "--report-dir=r", "--xsd"]
    assert attached_path_values(["--target-config=/etc/t.yaml", "-q"]) == ["--target-config=/etc/t.yaml", "-q"]
