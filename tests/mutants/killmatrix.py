"""The kill matrix: which cases caught which mutant, written to reports/kill-matrix.{json,md}."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from tests.mutants.free_members import FREE_MEMBER_MUTANTS
from tests.mutants.harness import SuiteRun
from tests.mutants.plan import ALL_SPECS

FIRST_IDS_SHOWN = 4
_PLAN_ORDER = {spec.key: position for position, spec in enumerate(ALL_SPECS)}


def _in_plan_order(runs: dict) -> list:
    return sorted(runs.items(), key=lambda item: _PLAN_ORDER.get(item[0], len(_PLAN_ORDER)))


@dataclass
class KillMatrix:
    """Suite runs collected during the session, by run key, plus the pool's timing."""

    mutant_runs: dict = field(default_factory=dict)
    baseline_runs: dict = field(default_factory=dict)
    workers: int = 0
    wall_s: float = 0.0
    complete: bool = False

    def record(self, run: SuiteRun) -> None:
        """File `run` under the baselines (the identity mutant) or the mutants."""
        target = self.baseline_runs if run.spec.mutant.group == "baseline" else self.mutant_runs
        target[run.spec.key] = run

    def mutant_entry(self, run: SuiteRun) -> dict:
        mutant = run.spec.mutant
        return {
            "group": mutant.group, "description": mutant.description, "where": mutant.where,
            "auth": run.spec.auth, "killed": bool(run.failed_items), "failing_case_ids": run.failing_case_ids,
            "ran_against": ("whole suite" if run.spec.case_ids is None
                            else f"{len(run.spec.case_ids)} recorded case ids"),
            "failing_items": len(run.failed_items), "outcomes": run.outcome_counts(),
            "duration_s": round(run.duration_s, 1), "problems": run.problems,
        }

    def baseline_entry(self, run: SuiteRun) -> dict:
        return {"pytest_args": list(run.spec.pytest_args), "random_order": run.spec.random_order,
                "randomly_seed": run.seed, "outcomes": run.outcome_counts(), "returncode": run.returncode,
                "duration_s": round(run.duration_s, 1), "problems": run.problems}

    def document(self) -> dict:
        runs = [*self.mutant_runs.values(), *self.baseline_runs.values()]
        mutants = {key: self.mutant_entry(run) for key, run in _in_plan_order(self.mutant_runs)}
        return {
            "generated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "complete": self.complete,
            "summary": {
                "mutants": len(mutants), "killed": sum(entry["killed"] for entry in mutants.values()),
                "survivors": sorted(key for key, entry in mutants.items() if not entry["killed"]),
                "workers": self.workers, "wall_s": round(self.wall_s, 1),
                "sum_of_run_s": round(sum(run.duration_s for run in runs), 1),
            },
            "mutants": mutants,
            "baselines": {key: self.baseline_entry(run) for key, run in _in_plan_order(self.baseline_runs)},
            "free_member_mutants": dict(sorted(FREE_MEMBER_MUTANTS.items())),
        }

    def markdown(self, document: dict) -> str:
        summary = document["summary"]
        lines = [
            "# Kill matrix",
            "",
            f"Generated {document['generated']} by `pytest tests/mutants`"
            + ("" if document["complete"] else " (a subset of the runs was selected)") + ".",
            f"{summary['killed']} of {summary['mutants']} mutants killed; "
            f"{len(document['baselines'])} baseline run(s); {summary['workers']} concurrent runs, "
            f"wall time {summary['wall_s']:.0f} s (sum of run times {summary['sum_of_run_s']:.0f} s).",
            "",
            "| mutant | group | auth | killed | #cases that caught it | first ids |",
            "|---|---|---|---|---|---|",
        ]
        for key, entry in document["mutants"].items():
            ids = entry["failing_case_ids"]
            shown = ", ".join(f"`{case_id}`" for case_id in ids[:FIRST_IDS_SHOWN]) + (", ..." if len(ids) > FIRST_IDS_SHOWN else "")
            lines.append(f"| `{key}` | {entry['group']} | {entry['auth']} | {'yes' if entry['killed'] else '**NO**'} "
                         f"| {len(ids)} | {shown} |")
        if document["baselines"]:
            lines += ["", "| baseline (unmodified mock through the proxy) | outcomes | seed | time (s) |", "|---|---|---|---|"]
            for key, entry in document["baselines"].items():
                outcomes = ", ".join(f"{count} {outcome}" for outcome, count in sorted(entry["outcomes"].items()))
                lines.append(f"| `{key}` | {outcomes} | {entry['randomly_seed'] or '-'} | {entry['duration_s']:.0f} |")
        lines += ["", f"{len(document['free_member_mutants'])} member-level mutants are free (not run; "
                  "tests/mutants/free_members.py):", "", "| free mutant | why the sources allow it |", "|---|---|"]
        lines += [f"| `{name}` | {reason} |" for name, reason in document["free_member_mutants"].items()]
        return "\n".join(lines) + "\n"

    def write(self, directory: Path, name: str = "kill-matrix") -> None:
        """`<name>.json` and `<name>.md` in `directory`."""
        directory.mkdir(parents=True, exist_ok=True)
        document = self.document()
        (directory / f"{name}.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        (directory / f"{name}.md").write_text(self.markdown(document), encoding="utf-8")
