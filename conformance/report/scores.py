"""Scores of a run: pass rates by level, by operation and by category, from results.json records.

The unit is the item (one case under one scheme). An item conforms when it passed, or passed
against a known deviation (xpassed); it does not when it failed, errored, or failed as a known
deviation (xfailed). Skipped items did not run and count in neither; nor do items that got no
answer (`no_answer`), counted apart. The pass rate is conforming / (conforming + not conforming),
None when nothing ran.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

LEVELS = ("documented", "inferred")
CONFORMING = ("passed", "xpassed")
NOT_CONFORMING = ("failed", "error", "xfailed")
UNTAGGED = "(untagged)"


NO_ANSWER = "no_answer"


def verdict(outcome: str) -> str:
    """`pass`, `fail`, `no answer` or `not run` for one item outcome."""
    if outcome in CONFORMING:
        return "pass"
    if outcome in NOT_CONFORMING:
        return "fail"
    if outcome == NO_ANSWER:
        return "no answer"
    return "not run"


def score(records: Iterable[dict]) -> dict:
    """Counts of a group of records, and its pass rate (a fraction, None when nothing ran)."""
    verdicts = Counter(verdict(record["outcome"]) for record in records)
    ran = verdicts["pass"] + verdicts["fail"]
    return {"passed": verdicts["pass"], "failed": verdicts["fail"], "not_run": verdicts["not run"],
            "no_answer": verdicts["no answer"], "pass_rate": round(verdicts["pass"] / ran, 4) if ran else None}


def _grouped(records: Iterable[dict], key) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        for name in key(record):
            groups[name].append(record)
    return dict(sorted(groups.items()))


def scores_by_level(records: list[dict]) -> dict:
    """`documented` and `inferred` scored separately (both always present)."""
    return {level: score(r for r in records if r.get("level") == level) for level in LEVELS}


def scores_by_operation(records: list[dict]) -> dict:
    """One score per operation."""
    return {name: score(group) for name, group in _grouped(records, lambda r: [r.get("operation") or "?"]).items()}


def categories(record: dict) -> list[str]:
    """The matrix columns a record falls in: its tags, or `(untagged)`."""
    return list(record.get("tags") or []) or [UNTAGGED]


def matrix(records: list[dict]) -> dict:
    """Operation -> category -> score: the conformance matrix (an item counts in each of its tags)."""
    return {operation: {category: score(cells) for category, cells in _grouped(group, categories).items()}
            for operation, group in _grouped(records, lambda r: [r.get("operation") or "?"]).items()}


def percent(rate: float | None) -> str:
    """A pass rate as `97.5%`, or `n/a`."""
    return "n/a" if rate is None else f"{rate * 100:.1f}%"


def summary_lines(records: list[dict]) -> list[str]:
    """The lines the run summary prints: the overall score and one per level."""
    lines = []
    for label, group in (("all", records), *((level, [r for r in records if r.get("level") == level])
                                               for level in LEVELS)):
        counted = score(group)
        no_answer = f", {counted['no_answer']} no answer" if counted["no_answer"] else ""
        lines.append(f"{label:<11} {percent(counted['pass_rate']):>7} conform  ({counted['passed']} passed, "
                     f"{counted['failed']} failed{no_answer}, {counted['not_run']} not run)")
    return lines


def not_run_by_reason(records: list[dict]) -> dict[str, int]:
    """Skipped items counted by their skip reason, most frequent first."""
    counted = Counter(record.get("skip_reason") or "no reason given" for record in records
                      if record["outcome"] == "skipped")
    return dict(counted.most_common())


def not_run_lines(records: list[dict]) -> list[str]:
    """`not run: N items` and one line per reason, or nothing when every item ran."""
    reasons = not_run_by_reason(records)
    if not reasons:
        return []
    return [f"not run: {sum(reasons.values())} items, by reason:",
            *(f"  {count:>5}  {reason}" for reason, count in reasons.items())]
