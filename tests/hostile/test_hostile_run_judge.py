"""The judge of hostile runs flags every kind of unclean run (so the end-to-end tests can fail)."""
from __future__ import annotations

import pytest

from tests.hostile.hostile_run import SuiteRun, problems
from tests.hostile.hostile_servers import XXE_MARKER

CLEAN_SECTION = ("Case GetStatus.UnknownJobId [sigv4] did not conform at steps[0] GetStatus\n"
                 "  file: fixtures/GetStatus/errors.yaml\n\n"
                 "Steps run:\n  steps[0] GetStatus -> 200 OK (did not conform)\n")
PROPERTY_SECTION = ("Property Property.X [sigv4] is falsified: a drawn case did not conform\n\n"
                    "Case Property.X [sigv4] did not conform at steps[0] CreateJob\n")


def _report(*sections: str) -> str:
    body = "".join(f"_____ Case{index}[sigv4] _____\n\n{section}\n" for index, section in enumerate(sections))
    return (f"FFF\n=================================== FAILURES ===================================\n{body}"
            "=========================== short test summary info ============================\n"
            "FAILED x\n3 failed in 1.00s\n")


def _run(output: str, returncode: int = 1, foreign_hits: int = 0) -> SuiteRun:
    return SuiteRun("laughs", ["pytest"], returncode, 1.0, output, 10, foreign_hits)


def test_a_clean_run_has_no_problems():
    assert problems(_run(_report(CLEAN_SECTION, PROPERTY_SECTION))) == []


@pytest.mark.parametrize("run,expected", [
    (_run(_report(CLEAN_SECTION), returncode=2), "exited 2"),
    (_run(_report(CLEAN_SECTION), returncode=-1), "exited -1"),
    (_run(_report(CLEAN_SECTION + "Traceback (most recent call last):\n")), "'Traceback'"),
    (_run(_report(CLEAN_SECTION) + "INTERNALERROR> boom\n"), "'INTERNALERROR'"),
    (_run(_report(CLEAN_SECTION + f"<JobId>{XXE_MARKER}</JobId>\n")), XXE_MARKER),
    (_run(_report(CLEAN_SECTION + CLEAN_SECTION)), "not one clear verdict"),
    (_run(_report("AttributeError: 'NoneType' object has no attribute 'x'\n")), "not one clear verdict"),
    (_run("1 failed in 1.00s\n"), "no failure sections"),
    (_run(_report(CLEAN_SECTION), foreign_hits=1), "reached a host other than the target"),
])
def test_an_unclean_run_is_flagged(run, expected):
    assert any(expected in problem for problem in problems(run)), problems(run)
