"""The suite installed from its wheel runs from an empty directory against a mock started by hand.

Builds the wheel from a copy of the files a build needs (`pip wheel --no-deps`, with build isolation,
as a user's `pip install` of the repository would), installs it into a fresh venv (with
`--system-site-packages` for the dependencies; the project itself must come from the wheel), starts
that venv's `importexport-mock --admin` with its default quota of 50 jobs a day, and from an empty
directory runs `importexport-conformance` twice against it: the whole suite, then the quota cases
again (they are the ones a repeated run used to break). Both must pass, which needs the run to raise
the quota through the control API and a clock base that keeps the second run off the first one's
jobs. `importexport-report` then diffs the two runs (no regressions) and replays one case from the
installed suite's files. A plain `pytest --target-config FILE` there must know the option (the pytest11 entry point)
and say where the suite is instead; in a checkout, the same command with the file elsewhere collects
the checkout's cases (pytest alone would take the file's directory for its rootdir).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.mock_process import MockProcess

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "pytest.ini",
                "conformance", "mockserver", "fixtures", "xsd")
CLEARED_VARIABLES = ("PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "PYTEST_PLUGINS",
                     "IMPORTEXPORT_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


def clean_environment() -> dict:
    """The environment without anything that would import the checkout or steer the run."""
    return {key: value for key, value in os.environ.items() if key not in CLEARED_VARIABLES}


def run(command: list, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=cwd, env=clean_environment(), capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def build_wheel(workdir: Path, source: Path) -> Path:
    source.mkdir()
    for name in BUILD_INPUTS:
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(REPO_ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "suite_data"))
        else:
            shutil.copy2(REPO_ROOT / name, source / name)
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
