"""The variant table: each legal variant, the reading it takes, the server that took it, false failures
and real clients, written to reports/variant-matrix.{json,md}."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from tests.clients.drivers import DRIVERS
from tests.variants.catalog import VARIANTS
from tests.variants.runs import VariantRun
from tests.variants.servers import server_named

FIRST_IDS_SHOWN = 4
_ORDER = {variant.name: position for position, variant in enumerate(VARIANTS)}


@dataclass
class VariantMatrix:
    """Variant server runs collected during the session, by server name, plus the pool's timing."""

    runs: dict = field(default_factory=dict)
    workers: int = 0
    wall_s: float = 0.0
    complete: bool = False

    def record(self, run: VariantRun) -> None:
        self.runs[run.suite.spec.key] = run

    @staticmethod
    def entries(run: VariantRun) -> dict:
        """One entry per variant of the run's server (the suite's verdict is the server's)."""
        entries = {}
        for variant in server_named(run.suite.spec.key).variants:
            entries[variant.name] = {
                "kind": variant.kind, "reading": variant.reading, "allowed_by": variant.allowed_by,
                "origin": variant.origin, "server": run.suite.spec.key, "auth": run.suite.spec.auth,
                "readings_taken": run.readings_taken.get(variant.name, 0),
                "false_failures": len(run.suite.failed_items), "failed_items": run.suite.failed_items,
                "outcomes": run.suite.outcome_counts(), "suite_s": round(run.suite.duration_s, 1),
                "clients": {result.client: {"scenarios": list(result.scenarios), "passed": result.passed,
                                            "problems": result.problems[:10]} for result in run.clients},
                "clients_s": round(run.clients_s, 1), "problems": run.problems,
            }
        return entries

    def document(self) -> dict:
        entries = {name: entry for run in self.runs.values() for name, entry in self.entries(run).items()}
        variants = dict(sorted(entries.items(), key=lambda item: _ORDER.get(item[0], len(_ORDER))))
        return {
            "generated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "complete": self.complete,
            "summary": {
                "variants": len(variants), "servers": len(self.runs),
                "with_false_failures": sorted(key for key, entry in variants.items() if entry["false_failures"]),
                "clients_failing": sorted(key for key, entry in variants.items()
                                          if not all(client["passed"] for client in entry["clients"].values())),
                "workers": self.workers, "wall_s": round(self.wall_s, 1),
                "sum_of_run_s": round(sum(run.suite.duration_s + run.clients_s for run in self.runs.values()), 1),
            },
            "variants": variants,
        }

    @staticmethod
    def markdown(document: dict) -> str:
        summary = document["summary"]
        clean = summary["variants"] - len(summary["with_false_failures"])
        servers = f" in {summary['servers']} servers" if "servers" in summary else ""
        lines = [
            "# Legal variants",
            "",
            f"Generated {document['generated']} by `pytest tests/variants`"
            + ("" if document["complete"] else " (a subset of the variants was selected)") + ".",
            f"{clean} of {summary['variants']} variants{servers} pass the whole suite (0 false failures); "
            f"{summary['workers']} concurrent runs, wall time {summary['wall_s']:.0f} s "
            f"(sum of run times {summary['sum_of_run_s']:.0f} s).",
            "",
            "| variant | reading | allowed by | server | exchanges changed | false failures | "
            + " | ".join(DRIVERS) + " |",
            "|---|---|---|---|---|---|" + "---|" * len(DRIVERS),
        ]
        for key, entry in document["variants"].items():
            ids = entry["failed_items"]
            failures = str(len(ids)) if not ids else (
                f"**{len(ids)}**: " + ", ".join(f"`{item}`" for item in ids[:FIRST_IDS_SHOWN])
                + (", ..." if len(ids) > FIRST_IDS_SHOWN else ""))
            clients = [_client_cell(entry["clients"].get(name)) for name in DRIVERS]
            reading = entry["reading"] + (f" ({entry['origin']})" if entry["origin"] else "")
            lines.append(f"| `{key}` | {reading} | {entry['allowed_by']} | `{entry['server']}` "
                         f"| {entry['readings_taken']} | {failures} | "
                         + " | ".join(clients) + " |")
        return "\n".join(lines) + "\n"

    def write(self, directory: Path, name: str = "variant-matrix") -> None:
        directory.mkdir(parents=True, exist_ok=True)
        document = self.document()
        (directory / f"{name}.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        (directory / f"{name}.md").write_text(self.markdown(document), encoding="utf-8")


def _client_cell(client: dict | None) -> str:
    if client is None:
        return "not run"
    scenarios = "+".join(client["scenarios"])
    return f"passed ({scenarios})" if client["passed"] else f"**FAILED** ({scenarios})"
