"""`importexport-report diff BASE NEW` and `gate NEW [--baseline BASE]`: the gate's rules, per operation.

Items are matched by case id and scheme (report/results_file.py). A regression, each listed with its
id and mismatch text, is:

* `new_failures`: an item that passed in BASE and fails (`failed`, `error`) in NEW;
* `new_cases_failing`: an item that fails in NEW and was no item of BASE's suite (a case added by a
  suite upgrade, or a scheme added to a case);
* `fixed_deviations`: an item listed as a known deviation that passed in NEW (`xpassed`, the suite's
  XPASS(strict)): the entry must go;
* an incomplete NEW run (`run.complete` false: it stopped early, was interrupted, or items got no
  answer, each listed in `no_answer` with the transport error): not a verdict on conformance, but a
  gate cannot pass on a run that did not judge everything it selected.

Without a baseline every failing item of NEW is a regression. Only what both runs selected is
compared: an item that one run did not select but whose case the other run's suite has (a `-m`,
`-k`, node-id or `--auth` subset) is counted under `not_compared`, never listed as added or
removed; `run.suite_items` (every item of the suite that wrote the file) tells the two apart. Also
listed: fixes, items still failing (or failing now and not run in BASE), items that passed and are
now a listed known deviation (`xfailed`), and cases added and removed.
"""
from __future__ import annotations

import json
from collections import defaultdict

from conformance.report.results_file import item_key
from conformance.report.scores import LEVELS, NO_ANSWER, percent, scores_by_level, verdict

REGRESSION_SECTIONS = (
    ("new_failures", "New failures (regressions): passed in BASE, fail now"),
    ("new_cases_failing", "New cases that fail (regressions)"),
    ("fixed_deviations", "Listed deviations that now pass (regressions: XPASS(strict), remove the entry)"),
    ("no_answer", "No answer (the run did not complete)"),
)
SECTIONS = (
    *REGRESSION_SECTIONS,
    ("fixes", "Fixes"),
    ("still_failing", "Still failing (or failing now and not run in BASE)"),
    ("deviations_added", "Passed before, now a known deviation"),
    ("added", "Cases added"),
    ("removed", "Cases removed"),
)
MAX_MISMATCHES_SHOWN = 3
MAX_TEXT_CHARS = 300


def _shorten(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_TEXT_CHARS else text[: MAX_TEXT_CHARS - 3] + "..."


def mismatch_text(record: dict) -> str:
    """What went wrong with one item, on one line: its mismatches, the transport error, or pytest's report."""
    outcome = record["outcome"]
    if outcome == "xpassed":
        return "listed as a known deviation, but it passed (XPASS(strict)); remove its entry"
    parts = []
    for mismatch in (record.get("mismatches") or [])[:MAX_MISMATCHES_SHOWN]:
        part = f"[{mismatch.get('check')}] {mismatch.get('message')}"
        if mismatch.get("expected") is not None or mismatch.get("actual") is not None:
            part += f" (expected {mismatch.get('expected')}, got {mismatch.get('actual')})"
        parts.append(part)
    if not parts and (record.get("exchange") or {}).get("error"):
        parts.append(record["exchange"]["error"])
    if not parts and record.get("longrepr"):
        parts.append(str(record["longrepr"]).strip().splitlines()[-1])
    if not parts and record.get("skip_reason"):
        parts.append(record["skip_reason"])
    extra = len(record.get("mismatches") or []) - MAX_MISMATCHES_SHOWN
    text = "; ".join(parts) + (f"; and {extra} more" if extra > 0 else "")
    where = record.get("failed_step")
    return _shorten(f"{where}: {text}" if where and text else text)


def _entry(key: str, record: dict, base: dict | None = None) -> dict:
    entry = {"item": key, "id": record["id"], "node_id": record.get("node_id"),
             "operation": record.get("operation") or "?", "level": record.get("level"), "outcome": record["outcome"]}
    if base is not None:
        entry["base_outcome"] = base["outcome"]
    if verdict(record["outcome"]) == "fail" or record["outcome"] in ("xpassed", NO_ANSWER):
        entry["mismatch"] = mismatch_text(record)
    return entry


def _suite_items(document: dict | None) -> set | None:
    """Every item key of the suite that wrote `document` (None when it does not say)."""
    items = (document or {}).get("run", {}).get("suite_items")
    return set(items) if isinstance(items, list) else None


def _run_summary(document: dict) -> dict:
    run = document["run"]
    return {"endpoint": run.get("endpoint"), "started": run.get("started"),
            "suite_version": run.get("suite_version"), "suite_commit": run.get("suite_commit"),
            "scores_by_level": scores_by_level(document["cases"])}


def _judge_new_item(key: str, record: dict, old: dict | None, base: dict | None, base_suite: set | None,
                    sections: dict, not_compared: list) -> None:
    outcome, now = record["outcome"], verdict(record["outcome"])
    if outcome == "xpassed":
        sections["fixed_deviations"].append(_entry(key, record, old))
        return
    if outcome == NO_ANSWER:
        sections["no_answer"].append(_entry(key, record, old))
        return
    if base is None:  # no baseline: the run judges itself
        if now == "fail":
            sections["new_failures"].append(_entry(key, record))
        return
    if old is None:
        if base_suite is not None and key in base_suite:
            not_compared.append(key)  # BASE's suite had it, BASE's selection did not
            return
        sections["added"].append(_entry(key, record))
        if now == "fail":
            sections["new_cases_failing"].append(_entry(key, record))
        return
    was = verdict(old["outcome"])
    if was == "pass" and outcome == "xfailed":
        sections["deviations_added"].append(_entry(key, record, old))
    elif was == "pass" and now == "fail":
        sections["new_failures"].append(_entry(key, record, old))
    elif was == "fail" and now == "pass":
        sections["fixes"].append(_entry(key, record, old))
    elif now == "fail":
        sections["still_failing"].append(_entry(key, record, old))


def compare(base: dict | None, new: dict) -> dict:
    """The gate's verdict on NEW (against BASE, when given), each section sorted by operation, item."""
    before = {item_key(record): record for record in base["cases"]} if base is not None else {}
    after = {item_key(record): record for record in new["cases"]}
    base_suite, new_suite = _suite_items(base), _suite_items(new)
    sections: dict[str, list] = {name: [] for name, _ in SECTIONS}
    not_compared: list[str] = []
    for key, record in after.items():
        _judge_new_item(key, record, before.get(key), base, base_suite, sections, not_compared)
    for key, record in before.items():
        if key in after:
            continue
        if new_suite is not None and key in new_suite:
            not_compared.append(key)  # NEW's suite has it, NEW's selection did not
        else:
            sections["removed"].append(_entry(key, record))
    for entries in sections.values():
        entries.sort(key=lambda entry: (entry["operation"], entry["item"]))
    run = new["run"]
    incomplete = list(run.get("incomplete_reasons") or [])
    if run.get("complete") is False and not incomplete:
        incomplete.append("the run did not complete")
    if sections["no_answer"] and not any("no answer" in reason for reason in incomplete):
        incomplete.append(f"{len(sections['no_answer'])} items got no answer")
    regressions = sum(len(sections[name]) for name, _ in REGRESSION_SECTIONS if name != "no_answer")
    return {
        "base": _run_summary(base) if base is not None else None,
        "new": _run_summary(new),
        "regressions": regressions,
        "incomplete": incomplete,
        "regressed": bool(regressions or incomplete),
        "not_compared": len(not_compared),
        **sections,
    }


def _by_operation(entries: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for entry in entries:
        grouped[entry["operation"]].append(entry)
    return grouped


def _verdict_lines(difference: dict) -> list[str]:
    count = difference["regressions"]
    lines = [f"**{count} regression{'s' if count != 1 else ''}.**" if count else "**No regressions.**"]
    if difference["incomplete"]:
        lines += ["", "**The run did not complete** (a regression of the run, not of conformance): "
                  + "; ".join(difference["incomplete"]) + "."]
    if difference["base"] is None:
        lines += ["", "No baseline: every failing item counts."]
    if difference["not_compared"]:
        lines += ["", f"{difference['not_compared']} items were selected by only one of the two runs "
                      "(`-m`, `-k`, node ids, `--auth`) and not compared."]
    return lines


def to_markdown(difference: dict) -> str:
    """The comparison as Markdown: verdict lines, scores, then each section grouped by operation."""
    lines = ["# Conformance diff", "", *_verdict_lines(difference), "", "| | base | new |", "|---|---|---|"]
    base = difference["base"] or {"endpoint": "(no baseline)", "started": "", "suite_version": "", "suite_commit": "",
                                  "scores_by_level": {level: {"pass_rate": None} for level in LEVELS}}
    for field in ("endpoint", "started", "suite_version", "suite_commit"):
        lines.append(f"| {field} | {base.get(field)} | {difference['new'].get(field)} |")
    for level in LEVELS:
        lines.append(f"| {level} pass rate | {percent(base['scores_by_level'][level]['pass_rate'])} "
                     f"| {percent(difference['new']['scores_by_level'][level]['pass_rate'])} |")
    for name, title in SECTIONS:
        entries = difference[name]
        if not entries and name in ("no_answer", "new_cases_failing", "fixed_deviations"):
            continue
        lines += ["", f"## {title} ({len(entries)})"]
        for operation, group in _by_operation(entries).items():
            lines += ["", f"### {operation}", ""]
            for entry in group:
                change = f"{entry['base_outcome']} -> {entry['outcome']}" if "base_outcome" in entry \
                    else entry["outcome"]
                line = f"- `{entry['item']}` ({entry['level']}): {change}"
                if entry.get("mismatch"):
                    line += f": {entry['mismatch']}"
                lines.append(line)
    return "\n".join(lines) + "\n"


def to_json(difference: dict) -> str:
    """The comparison as JSON."""
    return json.dumps(difference, indent=2) + "\n"
