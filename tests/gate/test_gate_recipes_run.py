"""The CI recipes run (issue 20, must-do 2): examples/github-actions.yml and examples/gitlab-ci.yml, parsed
and executed step by step as the services document it (tests/gate/ci_emulation.py, docs/sources.md
C1-C5), first on the main branch against the bundled mock (the baseline), then on a branch against a
broken server (the mock with `semantics.cancel_does_nothing`), and, for GitHub, on a branch against
the mock again. The branch jobs must find the main-branch baseline through the artifact layout the
upload and download rules give, and the gate must pass or fail with the right exit status and name
the regressed items with their mismatch text.

Adapted to this machine, and nothing else: port 8080 becomes a free port; the branch against the
broken server starts the patched mock instead of `importexport-mock` (what the recipes tell the user
to replace); the install step is this Python's console scripts; SUITE_ARGS (an environment variable
the gate reads) selects a slice, `-k CancelJob --auth sigv4`, to keep each run near 10 s. The GitHub and
GitLab runs go at once, and so do the jobs that only wait for the main-branch job.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
import yaml

from tests.gate.ci_emulation import GitLabArtifactsApi, run_github_job, run_gitlab_job
from tests.gate.conftest import GATE_SCRIPT, SCRIPTS_DIRECTORY
from tests.mutants.harness import ROOT, clean_environment

SLICE = "-k CancelJob --auth sigv4 -p no:randomly"
BROKEN_MUTANT = "semantics.cancel_does_nothing"
REGRESSED = ("CancelJob.OtherJobsUnaffected[sigv4]", "CancelJob.CancelTwiceRejected[sigv4]")
RECIPE_PORT = "8080"


def _free_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return str(probe.getsockname()[1])


def _rewriter(port: str, broken: bool):
    def rewrite(_name: str, script: str) -> str:
        script = script.replace(RECIPE_PORT, port)
        if broken:
            assert "importexport-mock " in script or "importexport-mock" not in script
            script = script.replace("importexport-mock ", f"{sys.executable} -m tests.mutants.patched_mock "
                                                          f"{BROKEN_MUTANT} ")
        return script
    return rewrite


def _workspace(root, name: str):
    """A checkout of the implementation's repository as the recipes want it: the gate script in ci/,
    an empty deviations file."""
    workspace = root / name / "workspace"
    (workspace / "ci").mkdir(parents=True)
    shutil.copy(GATE_SCRIPT, workspace / "ci" / "conformance-gate.sh")
    (workspace / "conformance-deviations.yaml").write_text("", encoding="utf-8")
    return workspace


def _environment(**extra: str) -> dict:
    return {**clean_environment(), "PYTHONPATH": str(ROOT), "SUITE_ARGS": SLICE,
            "PATH": os.pathsep.join((str(SCRIPTS_DIRECTORY), os.environ.get("PATH", ""))), **extra}


def _github_runs(root) -> dict:
    """The main-branch job, then both branch jobs at once (each finds the main job's artifacts)."""
    job = yaml.safe_load((ROOT / "examples" / "github-actions.yml").read_text(encoding="utf-8"))["jobs"]["conformance"]
    stored: dict = {}

    def run(name: str, ref: str, broken: bool) -> tuple:
        workspace = _workspace(root, name)
        summary = workspace.parent / "step-summary.md"
        result = run_github_job(job, workspace, _environment(GITHUB_STEP_SUMMARY=str(summary)), ref, stored,
                                _rewriter(_free_port(), broken))
        return result, workspace, summary

    runs = {"main": run("main", "refs/heads/main", False)}
    stored.update(runs["main"][0].artifacts)
    with ThreadPoolExecutor(max_workers=2) as pool:
        branches = {name: pool.submit(run, name, ref, broken) for name, ref, broken in
                    (("broken-branch", "refs/pull/7/merge", True), ("clean-branch", "refs/pull/8/merge", False))}
        runs.update({name: future.result() for name, future in branches.items()})
    return runs


def _gate_output(result) -> str:
    return result.step("Conformance gate").output


def test_github_main_branch_run_passes_and_keeps_the_reports_under_their_common_parent(github):
    result, _, _ = github["main"]
    assert result.succeeded, _gate_output(result)[-3000:]
    assert result.step("Fetch the results of the last main-branch run").status is None  # not on main
    assert "no baseline results.json" in _gate_output(result) and "ci-gate: passed" in _gate_output(result)
    names = zipfile.ZipFile(io.BytesIO(result.artifacts["conformance-reports"])).namelist()
    assert "reports/results.json" in names and "server.log" in names and "results.json" not in names


def test_github_branch_run_finds_the_baseline_and_fails_on_the_broken_server(github):
    result, workspace, summary = github["broken-branch"]
    output = _gate_output(result)
    assert (workspace / "baseline" / "reports" / "results.json").is_file()
    assert "ci-gate: judging the run against the baseline baseline/reports/results.json" in output, output[-3000:]
    assert result.step("Conformance gate").status == 1 and not result.succeeded
    assert "ci-gate: FAILED: regressions" in output
    for item in REGRESSED:
        line = next(line for line in output.splitlines() if f"`{item}`" in line)
        assert re.search(r"\): passed -> failed: steps\[\d+\]\S* \w+: \[\w+\] ", line), line
    assert result.step("Keep the reports").status == 0 and result.step("Summary").status == 0  # if: always()
    step_summary = summary.read_text(encoding="utf-8")
    assert re.search(r"^\*\*\d+ regressions\.\*\*$", step_summary, re.MULTILINE), step_summary[:500]


def test_github_branch_run_against_a_good_server_passes_against_the_baseline(github):
    result, _, summary = github["clean-branch"]
    output = _gate_output(result)
    assert result.succeeded, output[-3000:]
    assert "judging the run against the baseline baseline/reports/results.json" in output
    assert "**No regressions.**" in summary.read_text(encoding="utf-8")


def _gitlab_runs(root) -> dict:
    """The main-branch job, then the branch job, which downloads its results through the artifacts API."""
    job = yaml.safe_load((ROOT / "examples" / "gitlab-ci.yml").read_text(encoding="utf-8"))["conformance"]
    api = GitLabArtifactsApi()
    runs = {}
    try:
        for name, branch, broken in (("main", "main", False), ("broken-branch", "feature", True)):
            workspace = _workspace(root, name)
            environment = _environment(CI_COMMIT_BRANCH=branch, CI_DEFAULT_BRANCH="main", CI_API_V4_URL=api.url,
                                       CI_PROJECT_ID=api.PROJECT_ID, CI_JOB_TOKEN=api.TOKEN,
                                       SUITE_REPO="https://git.example/importexport-conformance")
            result, artifacts = run_gitlab_job(job, workspace, environment, _rewriter(_free_port(), broken))
            if result.succeeded:
                api.successful[(branch, "conformance")] = artifacts
            runs[name] = (result, workspace, artifacts)
        runs["api_requests"] = list(api.requests)
    finally:
        api.close()
    return runs


@pytest.fixture(scope="module")
def recipe_runs(request, tmp_path_factory) -> dict[str, Future]:
    """The GitHub and the GitLab runs of the selected tests, both started at once in the background."""
    platforms = {"github": _github_runs, "gitlab": _gitlab_runs}
    wanted = [name for name in platforms if any(name in item.fixturenames for item in request.session.items)]
    with ThreadPoolExecutor(max_workers=max(1, len(wanted))) as pool:
        yield {name: pool.submit(platforms[name], tmp_path_factory.mktemp(name)) for name in wanted}


@pytest.fixture(scope="module")
def github(recipe_runs) -> dict:
    return recipe_runs["github"].result()


@pytest.fixture(scope="module")
def gitlab(recipe_runs) -> dict:
    return recipe_runs["gitlab"].result()


def test_gitlab_main_branch_job_passes_and_keeps_the_reports(gitlab):
    result, _, artifacts = gitlab["main"]
    assert result.succeeded, result.steps[0].output[-3000:]
    assert {"reports/results.json", "reports/junit.xml", "server.log"} <= set(artifacts)
    assert "no baseline results.json" in result.steps[0].output


def test_gitlab_branch_job_downloads_the_baseline_and_fails_on_the_broken_server(gitlab):
    result, workspace, artifacts = gitlab["broken-branch"]
    output = result.steps[0].output
    assert gitlab["api_requests"] == ["/api/v4/projects/1/jobs/artifacts/main/raw/reports/results.json?job=conformance"]
    assert (workspace / "baseline" / "results.json").is_file()
    assert "judging the run against the baseline baseline/results.json" in output, output[-3000:]
    assert result.steps[0].status == 1 and not result.succeeded
    for item in REGRESSED:
        assert f"`{item}`" in output
    assert "reports/diff.md" in artifacts  # when: always keeps the reports of a failed job


def test_the_gate_script_without_target_config_is_a_usage_error_not_a_regression(tmp_path):
    done = subprocess.run(["bash", str(GATE_SCRIPT)], cwd=tmp_path, env=_environment(), capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 3
    assert done.stderr.startswith("ci-gate: usage: set TARGET_CONFIG") and done.stderr.count("\n") == 1
