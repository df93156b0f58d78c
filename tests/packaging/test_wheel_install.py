"""The suite installed from its wheel runs from an empty directory against a mock started by hand.

Builds the wheel from a copy of the files a build needs (`pip wheel --no-deps`, with build isolation,
as a user's `pip install` of the repository would), installs it into a fresh venv (with
`--system-site-packages` for the dependencies; the project itself must come from the wheel), starts
that venv's `importexport-mock --admin` with its default quota of 50 jobs a day, and from an empty
directory runs `importexport-conformance` twice against it: the whole suite, then the quota cases
again (they are the ones a repeated run used to break). Both must pass, which needs the run to raise
the quota through the control API and a clock base that keeps the second run off the first one's
jobs. Between the two, a third run fails one item on purpose (a listed deviation that passes), and
the id of every report (the FAILED line, `show`, index.html's rerun command, `diff`'s item key) and a
property's replay line each select exactly one item. `importexport-report` then diffs the two runs
(no regressions) and replays one case from the installed suite's files. The wheel is built from a
git checkout of one commit: `--version` and results.json name that commit and pyproject's version,
`--contract` prints the shipped docs/contract.md, and the shipped documents equal the repository's. A plain `pytest --target-config FILE` there must know the option (the pytest11 entry point)
and say where the suite is instead; in a checkout, the same command with the file elsewhere collects
the checkout's cases (pytest alone would take the file's directory for its rootdir).
"""
from __future__ import annotations

import html
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.mock_process import MockProcess

REPO_ROOT = Path(__file__).resolve().parents[2]
SHIPPED_DOCUMENTS = ("docs/sources.md", "docs/decisions.md", "docs/contract.md")
BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "pytest.ini",
                "conformance", "mockserver", "fixtures", "xsd", *SHIPPED_DOCUMENTS)
CLEARED_VARIABLES = ("PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "PYTEST_PLUGINS",
                     "IMPORTEXPORT_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


def clean_environment() -> dict:
    """The environment without anything that would import the checkout or steer the run."""
    return {key: value for key, value in os.environ.items() if key not in CLEARED_VARIABLES}


def run(command: list, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=cwd, env=clean_environment(), capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def build_wheel(workdir: Path, source: Path) -> Path:
    """The wheel of a copy of the build inputs, made a git checkout of one commit (as a user's clone is)
    so that the build records that commit."""
    source.mkdir()
    for name in BUILD_INPUTS:
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(REPO_ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "suite_data"))
        else:
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, source / name)
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=build", "-c", "user.email=build@localhost",
                                                     "commit", "-q", "-m", "build"]):
        committed = run(["git", *command], source)
        assert committed.returncode == 0, committed.stderr
    wheels = workdir / "wheels"
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, source], workdir)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = wheels.glob("importexport_conformance-*.whl")
    return wheel


def install_into_venv(workdir: Path, wheel: Path) -> Path:
    venv = workdir / "venv"
    created = run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], workdir)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    installed = run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index",
                     "--ignore-installed", wheel], workdir)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return venv


def hand_started_mock(venv: Path, workdir: Path) -> MockProcess:
    """The venv's `importexport-mock --port 0 --admin`, as a user would start it."""
    return MockProcess("--admin", "--db", str(workdir / "mock.db"), program=[str(venv / "bin" / "importexport-mock")],
                       env=clean_environment(), cwd=workdir).start()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("wheel")


@pytest.fixture(scope="module")
def installed(workdir) -> Path:
    """A venv with the suite installed from its freshly built wheel (built from `workdir/source`)."""
    return install_into_venv(workdir, build_wheel(workdir, workdir / "source"))


def project_version() -> str:
    return re.search(r'^version = "([^"]+)"', (REPO_ROOT / "pyproject.toml").read_text(), re.MULTILINE)[1]


def source_commit(source: Path) -> str:
    return run(["git", "rev-parse", "HEAD"], source).stdout.strip()


def collected_items(result: subprocess.CompletedProcess) -> list[str]:
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return [line for line in result.stdout.splitlines() if "::" in line]


def reruns_one_item_from_every_report(installed: Path, config: Path, empty: Path, tmp_path: Path) -> None:
    """A failure (a listed deviation that passes), then the ids its reports print, each given back."""
    program = installed / "bin" / "importexport-conformance"
    known = tmp_path / "known.yaml"
    known.write_text("- id: CancelJob.UnknownJobId[sigv4]\n  reason: listed to make a failure\n")
    failing = run([program, "--target-config", config, "--deviations", known, "--report-dir", "r3",
                   "CancelJob.UnknownJobId"], empty)
    assert failing.returncode == 1, failing.stdout[-3000:] + failing.stderr[-2000:]
    node_id = "fixtures/CancelJob/errors.yaml::CancelJob.UnknownJobId[sigv4]"
    failed_lines = [line.split()[1] for line in failing.stdout.splitlines() if line.startswith("FAILED ")]
    assert failed_lines == [node_id], failing.stdout[-3000:]
    rerun = run([program, "--target-config", config, failed_lines[0]], empty)
    assert rerun.returncode == 0 and rerun.stdout.strip().splitlines()[-1].startswith("1 passed"), rerun.stdout

    shown = run([installed / "bin" / "importexport-report", "show", "r3/results.json"], empty)
    assert f"  {node_id}" in shown.stdout.splitlines(), shown.stdout
    page = html.unescape((empty / "r3" / "index.html").read_text(encoding="utf-8"))
    html_command = re.search(r"importexport-conformance '[^']*CancelJob\.UnknownJobId\[sigv4\]'", page)[0]
    for words in ([node_id], ["CancelJob.UnknownJobId[sigv4]"], shlex.split(html_command)[1:]):
        assert collected_items(run([program, "--co", "-q", *words], empty)) == [node_id], words

    replay_line = ("importexport-conformance 'fixtures/property/parameters.property::"
                   "Property.CancelJob.UnknownJobIdRejected[sigv4]' --property-seed 5 --property-examples 2")
    replayed = run([program, "--target-config", config, *shlex.split(replay_line)[1:]], empty)
    assert replayed.returncode == 0 and replayed.stdout.strip().splitlines()[-1].startswith("1 passed"), \
        replayed.stdout[-2000:] + replayed.stderr[-2000:]


def test_installed_wheel_names_its_version_and_ships_its_documents(installed, workdir, tmp_path):
    program = installed / "bin" / "importexport-conformance"
    version = run([program, "--version"], tmp_path)
    commit = source_commit(workdir / "source")
    assert version.returncode == 0 and re.fullmatch(
        rf"importexport-conformance {re.escape(project_version())} \(commit {commit[:12]}, built \S+Z\)\n",
        version.stdout), version.stdout
    contract = run([program, "--contract"], tmp_path)
    assert contract.stdout == (REPO_ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    site = Path(run([installed / "bin" / "python", "-c", "import conformance; print(conformance.__file__)"],
                    tmp_path).stdout.strip()).parent
    for name in SHIPPED_DOCUMENTS:
        assert (site / "suite_data" / name).read_bytes() == (REPO_ROOT / name).read_bytes(), name
    helped = run([program, "--help"], tmp_path)
    assert helped.stdout.startswith("usage: importexport-conformance ") and len(helped.stdout.splitlines()) < 80


def test_installed_wheel_runs_the_suite_twice_from_an_empty_directory(installed, workdir, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    imported = run([installed / "bin" / "python", "-c", "import conformance; print(conformance.__file__)"], empty)
    assert Path(imported.stdout.strip()).is_relative_to(installed), imported.stdout + imported.stderr

    mock = hand_started_mock(installed, tmp_path)
    try:
        config = tmp_path / "target.yaml"
        config.write_text(f"endpoint_url: {mock.url}\ncontrol_url: {mock.url}/_mock\n")
        program = installed / "bin" / "importexport-conformance"

        first = run([program, "--target-config", config, "--report-dir", "r1"], empty)
        assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-2000:]
        summary = first.stdout.strip().splitlines()[-1]
        assert " passed" in summary and "failed" not in summary and "error" not in summary, summary
        results = json.loads((empty / "r1" / "results.json").read_text())
        assert len(results["cases"]) >= 900 and {case["outcome"] for case in results["cases"]} == {"passed"}

        again = run([program, f"--target-config={config}", "-m", "quota", "--report-dir", "r2"], empty)
        assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-2000:]
        last_line = again.stdout.strip().splitlines()[-1]
        assert " passed" in last_line and "failed" not in last_line, last_line

        assert results["run"]["suite_version"] == project_version()
        assert results["run"]["suite_commit"] == source_commit(workdir / "source")
        assert results["run"]["selection"]["paths"] == ["fixtures"]
        assert results["run"]["target"]["endpoint"] == mock.url
        reruns_one_item_from_every_report(installed, config, empty, tmp_path)

        report = installed / "bin" / "importexport-report"
        diffed = run([report, "diff", "r1/results.json", "r2/results.json"], empty)
        assert diffed.returncode == 0, diffed.stdout + diffed.stderr
        assert "**No regressions.**" in diffed.stdout
        replayed = run([report, "replay", "CancelJob.UnknownJobId", "--target-config", config], empty)
        assert replayed.returncode == 0, replayed.stdout[-3000:] + replayed.stderr[-2000:]
        assert "=== fixtures/CancelJob/errors.yaml::CancelJob.UnknownJobId[sigv4]: passed" in replayed.stdout
        assert "Request as sent" in replayed.stdout
    finally:
        mock.stop()

    plain = run([installed / "bin" / "python", "-m", "pytest", "--target-config", config], empty)
    assert plain.returncode == pytest.ExitCode.USAGE_ERROR, plain.stdout + plain.stderr
    assert "no conformance suite under" in plain.stderr and "importexport-conformance" in plain.stderr

    checkout = workdir / "source"
    in_checkout = run([installed / "bin" / "python", "-m", "pytest", "--co", "--target-config", config,
                       "-k", "CancelJob.UnknownJobId and sigv4"], checkout)
    assert in_checkout.returncode == 0, in_checkout.stdout + in_checkout.stderr
    assert "fixtures/CancelJob/errors.yaml::CancelJob.UnknownJobId[sigv4]" in in_checkout.stdout
