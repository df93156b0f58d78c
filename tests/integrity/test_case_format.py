"""The case files in their compact form lose nothing, keep one style and stay small.

`data/expanded-cases.jsonl` was taken (tools/case_snapshot.py) before the fixtures were rewritten into the
compact format (tools/convert_fixtures.py): every case id with every field of its expanded `Case`, manifests
as parsed YAML node trees. The cases expanded from today's files must equal it. A deliberate change to a
case updates the snapshot in the same commit:
`python tools/case_snapshot.py > tests/integrity/data/expanded-cases.jsonl`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from conformance.cases.datafiles import load_yaml
from conformance.cases.format import case_files, format_file

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
SNAPSHOT = Path(__file__).with_name("data") / "expanded-cases.jsonl"
SYNTAX_FILES = {"manifest/syntax.yaml"}
sys.path.insert(0, str(REPO / "tools"))

from case_snapshot import snapshot  # noqa: E402
from fixture_stats import measure  # noqa: E402


def test_expanded_cases_equal_the_snapshot():
    before = {}
    for line in SNAPSHOT.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        before[entry["id"]] = entry["case"]
    now = snapshot(REPO)
    assert sorted(now) == sorted(before), "case ids differ from the snapshot"
    changed = sorted(case_id for case_id in before if now[case_id] != before[case_id])
    assert not changed, f"{len(changed)} cases differ from the snapshot, first {changed[:5]}"


def test_every_case_file_is_in_the_one_style():
    unformatted = [path.relative_to(REPO).as_posix() for path in case_files(FIXTURES)
                   if format_file(path) != path.read_text(encoding="utf-8")]
    assert not unformatted, f"run python -m conformance.cases.format {' '.join(unformatted)}"


def test_fixtures_stay_small_and_unrepeated():
    _, lines, repeated = measure(FIXTURES)
    assert lines <= 7000, f"{lines} non-blank lines in fixtures/ (tools/fixture_stats.py)"
    assert repeated / lines < 0.15, f"{repeated / lines:.1%} of fixture lines repeat an earlier 8-line window"


def _canonical_address() -> list[str]:
    address = yaml.safe_load((FIXTURES / "templates" / "manifests" / "return-address.yaml").read_text())
    return [f"{key}: {value}" for key, value in address.items()]


def test_no_case_file_spells_out_the_canonical_return_address():
    lines = _canonical_address()
    spelled = []
    for path in case_files(FIXTURES):
        relative = path.relative_to(FIXTURES).as_posix()
        if relative in SYNTAX_FILES or relative.startswith("examples/"):
            continue
        text = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        for start in range(len(text)):
            if all(any(line.endswith(wanted) for line in text[start:start + 12]) for wanted in lines):
                spelled.append(relative)
                break
    assert spelled == ["GetStatus/success.yaml"], spelled  # the manifest echoed byte for byte, comment included


def test_only_syntax_and_echo_cases_hold_a_whole_manifest():
    inline = []
    for path in case_files(FIXTURES):
        relative = path.relative_to(FIXTURES).as_posix()
        if relative in SYNTAX_FILES or relative.startswith("examples/"):
            continue
        for case in load_yaml(path, exact_scalars=True)["cases"]:
            if "manifest_text" in json.dumps(case):
                inline.append(f"{relative}: {case['id']}")
    assert sorted(inline) == ["GetStatus/success.yaml: GetStatus.CurrentManifestEchoesManifestExactly",
                              "UpdateJob/manifest-errors.yaml: UpdateJob.MalformedManifest"], inline
