"""`importexport-report diff BASE NEW`: what changed between two runs, per operation.

Items are matched by case id and scheme (report/results_file.py). Each verdict is `pass`, `fail`
or `not run` (report/scores.py). A regression is an item that passed in BASE and now fails or
errors; the gate exits 1 when there is one. An item that passed in BASE and is now a known
deviation (xfailed: listed in NEW's --deviations file) is not a regression: it is listed apart, so a
reviewer sees every deviation a branch adds. Fixes, items still failing, and items added or removed
(with their NEW or BASE outcome) are listed too.
"""
from __future__ import annotations

import json
from collections import defaultdict

from conformance.report.results_file import item_key
from conformance.report.scores import LEVELS, percent, scores_by_level, verdict

SECTIONS = (
    ("new_failures", "New failures (regressions)"),
    ("fixes", "Fixes"),
    ("still_failing", "Still failing"),
    ("deviations_added", "Passed before, now a known deviation"),
    ("added", "Cases added"),
    ("removed", "Cases removed"),
)


def _entry(key: str, record: dict, base: dict | None = None) -> dict:
    entry = {"item": key, "id": record["id"], "operation": record.get("operation") or "?",
             "level": record.get("level"), "outcome": record["outcome"]}
    if base is not None:
        entry["base_outcome"] = base["outcome"]
    return entry


def compare(base: dict, new: dict) -> dict:
    """The differences between two results.json documents, each section sorted by operation, item."""
    before = {item_key(record): record for record in base["cases"]}
    after = {item_key(record): record for record in new["cases"]}
    sections: dict[str, list] = {name: [] for name, _ in SECTIONS}
    for key, record in after.items():
        old = before.get(key)
        if old is None:
            sections["added"].append(_entry(key, record))
            continue
        was, now = verdict(old["outcome"]), verdict(record["outcome"])
        if was == "pass" and record["outcome"] == "xfailed":
            sections["deviations_added"].append(_entry(key, record, old))
        elif was == "pass" and now == "fail":
            sections["new_failures"].append(_entry(key, record, old))
        elif was == "fail" and now == "pass":
            sections["fixes"].append(_entry(key, record, old))
        elif was == "fail" and now == "fail":
            sections["still_failing"].append(_entry(key, record, old))
    sections["removed"] = [_entry(key, record) for key, record in before.items() if key not in after]
    for entries in sections.values():
        entries.sort(key=lambda entry: (entry["operation"], entry["item"]))
    return {
        "base": {"endpoint": base["run"].get("endpoint"), "started": base["run"].get("started"),
                 "suite_version": base["run"].get("suite_version"),
                 "scores_by_level": scores_by_level(base["cases"])},
        "new": {"endpoint": new["run"].get("endpoint"), "started": new["run"].get("started"),
                "suite_version": new["run"].get("suite_version"),
                "scores_by_level": scores_by_level(new["cases"])},
        "regressed": bool(sections["new_failures"]),
        **sections,
    }


def _by_operation(entries: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        grouped[entry["operation"]].append(entry)
    return grouped


def to_markdown(difference: dict) -> str:
    """The comparison as Markdown: verdict line, scores, then each section grouped by operation."""
    count = len(difference["new_failures"])
    lines = ["# Conformance diff", "",
             f"**{count} regression{'s' if count != 1 else ''}.**" if count else "**No regressions.**", "",
             "| | base | new |", "|---|---|---|"]
    for field in ("endpoint", "started", "suite_version"):
        lines.append(f"| {field} | {difference['base'][field]} | {difference['new'][field]} |")
    for level in LEVELS:
        lines.append(f"| {level} pass rate | {percent(difference['base']['scores_by_level'][level]['pass_rate'])} "
                     f"| {percent(difference['new']['scores_by_level'][level]['pass_rate'])} |")
    for name, title in SECTIONS:
        entries = difference[name]
        lines += ["", f"## {title} ({len(entries)})"]
        for operation, group in _by_operation(entries).items():
            lines += ["", f"### {operation}", ""]
            for entry in group:
                change = f"{entry['base_outcome']} -> {entry['outcome']}" if "base_outcome" in entry \
                    else entry["outcome"]
                lines.append(f"- `{entry['item']}` ({entry['level']}): {change}")
    return "\n".join(lines) + "\n"


def to_json(difference: dict) -> str:
    """The comparison as JSON."""
    return json.dumps(difference, indent=2) + "\n"
