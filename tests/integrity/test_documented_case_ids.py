"""Every case id the documentation mentions exists: README.md and docs/*.md are read for words shaped
like a case id (`Operation.Something...`, with any prefix a real case id starts with) and each must be
the id of a case in fixtures/ (a `[sigv2]`/`[sigv4]` suffix is allowed after it)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance.run.collection import load_all_cases

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]


@pytest.fixture(scope="module")
def case_ids() -> set[str]:
    return {case.id for case in load_all_cases(REPO_ROOT)}


def mentioned_ids(text: str, prefixes: set[str]) -> list[str]:
    """Words shaped like a case id that start with one of `prefixes` (not part of a path or a name)."""
    alternatives = "|".join(sorted(map(re.escape, prefixes)))
    pattern = re.compile(rf"(?<![\w/.-])(?:{alternatives})\.[A-Za-z0-9_.-]*[A-Za-z0-9_](?![A-Za-z0-9_.-]*\$\{{)")
    return [match.group(0) for match in pattern.finditer(text)]


def test_the_id_pattern_finds_ids_in_prose_and_yaml():
    text = "see `CreateJob.DailyQuotaExceeded[sigv4]`, - id: Auth.SigV2.X\nnot fixtures/CreateJob.yaml, x.CreateJob.Y"
    assert mentioned_ids(text, {"CreateJob", "Auth"}) == ["CreateJob.DailyQuotaExceeded", "Auth.SigV2.X"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.relative_to(REPO_ROOT).as_posix())
def test_every_case_id_in_the_documentation_exists(document, case_ids):
    prefixes = {case_id.split(".")[0] for case_id in case_ids}
    unknown = sorted(set(mentioned_ids(document.read_text(encoding="utf-8"), prefixes)) - case_ids)
    assert not unknown, f"{document.relative_to(REPO_ROOT)} names case ids that no case has: {', '.join(unknown)}"
