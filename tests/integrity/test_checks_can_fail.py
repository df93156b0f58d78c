"""Every check can fail: each assertion of each case has been seen failing on some answer.

`tests/integrity/data/check-failures.json` (made by `python tools/check_failures.py`, about a minute and a
half: one default run against the bundled mock, then the search of tools/check_synthesis.py) records, for
every check of the inventory (tools/check_inventory.py), the answer on which the engine's check function
reported it as a mismatch. These tests read that recording and run no server:

* the recording covers exactly the checks the cases hold today (a case added or changed since needs the
  script rerun);
* no check is without a failing answer: one that nothing makes fail is reported here and must be given
  such an answer, or rewritten (issue 19: the `BAD-${unique}` marker a rejected manifest never held);
* docs/mutants.md publishes the recording's figures;
* the search itself tells a check that cannot fail from one that can.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from lxml import etree

from conformance.cases.definitions import Expectation, XPathCheck
from conformance.xmldoc import NAMESPACES

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))

from check_capture import CapturedStep  # noqa: E402
from check_inventory import inventory  # noqa: E402
from check_synthesis import Answer, xpath_evidence  # noqa: E402

RECORDING = json.loads((REPO / "tests" / "integrity" / "data" / "check-failures.json").read_text(encoding="utf-8"))
RERUN = "rerun `python tools/check_failures.py` and commit tests/integrity/data/check-failures.json"


def test_the_recording_covers_exactly_the_current_checks():
    current = set(inventory(REPO))
    recorded = set(RECORDING["failing"]) | set(RECORDING["not_seen_failing"])
    added, gone = sorted(current - recorded), sorted(recorded - current)
    assert not added and not gone, (f"the checks changed since the recording ({RERUN}): "
                                    f"{len(added)} new, first {added[:5]}; {len(gone)} gone, first {gone[:5]}")
    assert RECORDING["checks"] == len(current)
    assert RECORDING["seen_failing"] == len(RECORDING["failing"])


def test_every_check_has_been_seen_failing():
    never = RECORDING["not_seen_failing"]
    assert not never, (f"{len(never)} checks nothing made fail (give each an answer or a mutant that fails it, "
                       "or rewrite it):\n" + "\n".join(f"{check}: {why}" for check, why in sorted(never.items())))


def test_docs_publish_the_figures():
    text = (REPO / "docs" / "mutants.md").read_text(encoding="utf-8")
    figure = f"{RECORDING['checks']:,} checks, {RECORDING['seen_failing']:,} seen failing"
    assert figure in text, f"docs/mutants.md should state `{figure}`"


def _answer(manifest: str, sent: tuple[str, ...]) -> Answer:
    body = (f'<GetStatusResponse xmlns="{NAMESPACES["ie"]}"><GetStatusResult><CurrentManifest>{manifest}'
            "</CurrentManifest></GetStatusResult></GetStatusResponse>").encode()
    captured = CapturedStep("Case", "steps[0] GetStatus", Expectation(status=200), b"", "http://x/", 200, (), body)
    return Answer("Case steps[0] GetStatus", captured, etree.fromstring(body), sent)


def test_a_marker_no_answer_carries_is_reported_and_a_sent_one_is_not():
    marker_absent = XPathCheck("//ie:CurrentManifest", "matches", r"(?s)^(?!.*BAD-1234).*$")
    rejected_without_marker = _answer("deviceId: ORIG", ("INVALID MANIFEST",))
    assert xpath_evidence(marker_absent, rejected_without_marker, []) is None
    rejected_with_marker = _answer("deviceId: ORIG", ("deviceId: BAD-1234",))
    assert "a value this case sent" in xpath_evidence(marker_absent, rejected_with_marker, [])
    kept = XPathCheck("//ie:CurrentManifest", "equals", "deviceId: ORIG")
    assert xpath_evidence(kept, rejected_without_marker, []) is not None
