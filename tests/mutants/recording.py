"""The recorded kill matrix (tests/mutants/recorded-kills.json) and the shortcut it allows.

A full run (`python bench/mutants_full.py`) runs every mutant against the whole suite and records, per
mutant, every case id that failed. By default `pytest tests/mutants` then runs a mutant only against
`shortcut_case_ids(name)`: at most `KILLERS_PER_MUTANT` of its recorded killers, spread over the
sorted list, plus the small fixed `SAMPLE_CASE_IDS`. A mutant with no recording (a new one, or one the
recording saw survive) runs the whole suite. `MUTANTS_FULL=1` turns the shortcut off for every mutant.
The baselines always run the whole suite.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

RECORDING_PATH = Path(__file__).with_name("recorded-kills.json")
FULL_VARIABLE = "MUTANTS_FULL"
KILLERS_PER_MUTANT = 8
SAMPLE_CASE_IDS = (
    "GetStatus.FreshJobIsPendingNotReceived",
    "ListJobs.CompleteListNotTruncated",
    "CancelJob.CancelTwiceRejected",
    "Auth.SigV4.ExpiredXAmzDate",
)


def full_mode() -> bool:
    """True when `MUTANTS_FULL` asks for every mutant against the whole suite."""
    return os.environ.get(FULL_VARIABLE, "") not in ("", "0")


def load_recording(path: Path = RECORDING_PATH) -> dict:
    """Mutant name -> sorted case ids that killed it in the recorded full run ({} when none)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {name: list(ids) for name, ids in document["kills"].items()}


def write_recording(kills: dict, suite_items: dict, path: Path = RECORDING_PATH) -> None:
    """Write `kills` (name -> case ids), one mutant per line so a diff shows which mutant changed."""
    lines = [f"  {json.dumps(name)}: {json.dumps(sorted(ids))}" for name, ids in sorted(kills.items())]
    header = {"recorded": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
              "by": "python bench/mutants_full.py --update", "suite_items": suite_items}
    kills_text = ",\n".join(f"  {line}" for line in lines)
    text = json.dumps(header, indent=2)[:-2] + ',\n  "kills": {\n' + kills_text + "\n  }\n}\n"
    path.write_text(text, encoding="utf-8")


def spread(ids: list, count: int) -> list:
    """`count` ids taken evenly over `ids` (all of them when there are fewer)."""
    if len(ids) <= count:
        return list(ids)
    step = len(ids) / count
    return [ids[int(index * step)] for index in range(count)]


def selection(name: str, recording: dict) -> tuple | None:
    """The case ids the recording lets mutant `name` run against; None = the whole suite."""
    if not recording.get(name):
        return None
    return tuple(sorted(set(spread(sorted(recording[name]), KILLERS_PER_MUTANT)) | set(SAMPLE_CASE_IDS)))


def shortcut_case_ids(name: str, recording: dict) -> tuple | None:
    """What `pytest tests/mutants` runs mutant `name` against: `selection`, or None in full mode."""
    return None if full_mode() else selection(name, recording)


def compare(full_kills: dict, recording: dict) -> dict:
    """A full run (name -> failing case ids, [] for a survivor) against the recording.

    `missed`: mutants the full run killed but whose shortcut selection holds none of the failing
    cases (the shortcut would have let them survive): must be empty. `unrecorded`: killed, but the
    recording has nothing for them (the shortcut runs them against the whole suite). `survivors`:
    not killed at all. `changed`: name -> (case ids newly failing, recorded ids no longer failing).
    """
    report: dict = {"missed": [], "unrecorded": [], "survivors": [], "changed": {}}
    for name, failing in sorted(full_kills.items()):
        if not failing:
            report["survivors"].append(name)
            continue
        chosen = selection(name, recording)
        if chosen is None:
            report["unrecorded"].append(name)
            continue
        if not set(chosen) & set(failing):
            report["missed"].append(name)
        gained, lost = sorted(set(failing) - set(recording[name])), sorted(set(recording[name]) - set(failing))
        if gained or lost:
            report["changed"][name] = (gained, lost)
    return report
