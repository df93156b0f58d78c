"""`importexport-conformance` from a directory outside the suite: ids copied from any report select
exactly their items (run/selection.py), the suite's own options and documents come first, and a run
that cannot start says so in one line (a --report-dir that is a file, a preflight that fails, `-n`
without pytest-xdist)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance import cli
from conformance.identity import suite_version
from conformance.run.collection import item_schemes, load_all_cases
from conformance.run.selection import SelectionError, suite_arguments
from conformance.settings import load_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "fixtures"
UNKNOWN_JOB = "fixtures/CancelJob/errors.yaml::CancelJob.UnknownJobId"
RUN_CLI = "import sys; from conformance.cli import main; sys.exit(main())"


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("IMPORTEXPORT_ENDPOINT_URL", "PYTEST_ADDOPTS")}
    environment["PYTHONPATH"] = str(REPO_ROOT)
    return subprocess.run([sys.executable, "-c", RUN_CLI, *args], cwd=cwd, env=environment, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def selected(arguments: list[str], given: bool = True, cwd: Path = Path("/")) -> list[str]:
    settings = load_settings({}, {}, REPO_ROOT)
    return suite_arguments(arguments, given, cwd, REPO_ROOT, FIXTURES, lambda: load_all_cases(REPO_ROOT),
                           lambda case: item_schemes(case, settings))


@pytest.mark.parametrize(("arguments", "expected"), [
    ([f"{UNKNOWN_JOB}[sigv4]"], [f"{REPO_ROOT}/{UNKNOWN_JOB}[sigv4]"]),        # a FAILED line, show, index.html
    (["CancelJob.UnknownJobId[sigv4]"], [f"{REPO_ROOT}/{UNKNOWN_JOB}[sigv4]"]),  # diff
    (["CancelJob.UnknownJobId [sigv2]"], [f"{REPO_ROOT}/{UNKNOWN_JOB}[sigv2]"]),  # the HTML summary, quoted
    (["CancelJob.UnknownJobId", "[sigv2]"], [f"{REPO_ROOT}/{UNKNOWN_JOB}[sigv2]"]),  # ... and unquoted
    (["CancelJob.UnknownJobId"], [f"{REPO_ROOT}/{UNKNOWN_JOB}[sigv2]", f"{REPO_ROOT}/{UNKNOWN_JOB}[sigv4]"]),
    (["fixtures/CancelJob"], [f"{REPO_ROOT}/fixtures/CancelJob"]),
    (["elsewhere/my_test.py"], ["elsewhere/my_test.py"]),
], ids=["node-id", "item-key", "html-quoted", "html-unquoted", "case-id", "folder", "unknown-path"])
def test_report_ids_become_node_ids_under_the_suite_root(arguments, expected):
    assert selected(arguments) == expected


def test_no_argument_outside_the_root_is_the_whole_suite_and_an_unknown_id_is_one_line():
    assert selected(["/tmp"], given=False, cwd=Path("/tmp")) == [str(FIXTURES)]
    assert selected([str(REPO_ROOT)], given=False, cwd=REPO_ROOT) == [str(REPO_ROOT)]
    with pytest.raises(SelectionError, match=r"^CancelJob.NoSuchCase\[sigv4\]: no item CancelJob.NoSuchCase under"):
        selected(["CancelJob.NoSuchCase[sigv4]"])


def test_every_report_id_form_collects_exactly_its_item(tmp_path):
    for argument in (f"{UNKNOWN_JOB}[sigv4]", "CancelJob.UnknownJobId[sigv4]", "CancelJob.UnknownJobId [sigv4]"):
        result = run_cli(tmp_path, "--co", "-q", argument)
        assert result.returncode == 0, result.stdout + result.stderr
        assert [line for line in result.stdout.splitlines() if "::" in line] == [f"{UNKNOWN_JOB}[sigv4]"], argument
    unknown = run_cli(tmp_path, "--co", "-q", "CancelJob.NoSuchCase")
    assert unknown.returncode == pytest.ExitCode.USAGE_ERROR
    assert "ERROR: CancelJob.NoSuchCase: no item CancelJob.NoSuchCase in the suite" in unknown.stderr


def test_help_is_short_and_names_the_suite(tmp_path):
    result = run_cli(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("usage: importexport-conformance ") and len(lines) < 80
    assert lines.index("Suite options:") < next(number for number, line in enumerate(lines)
                                                if line.startswith("Common pytest options"))
    assert "  --target-config=FILE" in result.stdout and "importexport-conformance --help-pytest" in result.stdout
    assert "--contract" in result.stdout and "pytest.main()" not in result.stdout


def test_version_and_documents(tmp_path):
    version = run_cli(tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.startswith(f"importexport-conformance {suite_version()} (commit ")
    contract = run_cli(tmp_path, "--contract")
    assert contract.stdout == (REPO_ROOT / "docs" / "contract.md").read_text(encoding="utf-8")


def test_a_run_that_cannot_start_says_why_in_one_line(tmp_path):
    (tmp_path / "afile").write_text("x")
    report_dir = run_cli(tmp_path, "--report-dir", "afile", "CancelJob.UnknownJobId[sigv4]")
    assert report_dir.returncode == pytest.ExitCode.USAGE_ERROR
    assert report_dir.stderr.strip() == "ERROR: --report-dir afile: is a file, not a directory; name a new or " \
                                        "existing directory"

    refused = run_cli(tmp_path, "--endpoint-url", "http://127.0.0.1:9", "CancelJob.UnknownJobId[sigv4]")
    assert refused.returncode == pytest.ExitCode.USAGE_ERROR
    assert refused.stderr.strip() == ("ERROR: preflight: a signed ListJobs (sigv2) to http://127.0.0.1:9/ got no "
                                      "response: connection refused; is the endpoint up at that URL?")
    assert "no tests ran" not in refused.stdout and "Exit" not in refused.stdout and not refused.stdout.strip()


def test_parallel_without_xdist_names_what_to_install(monkeypatch):
    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name: None)
    line = cli.missing_parallel_plugin(["--target-config", "t.yaml", "-n", "4"])
    assert line is not None and "pip install pytest-xdist" in line and "\n" not in line
    assert cli.missing_parallel_plugin(["-n4"]) == line and cli.missing_parallel_plugin(["-k", "n"]) is None


def test_a_selection_of_nothing_says_how_to_select(tmp_path):
    result = run_cli(tmp_path, "--co", "-q", "-k", "NoCaseHasThisName")
    assert result.returncode == pytest.ExitCode.NO_TESTS_COLLECTED
    assert result.stderr.strip().splitlines()[-1] == cli.NOTHING_SELECTED
