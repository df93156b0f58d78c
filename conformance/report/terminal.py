"""`importexport-report show results.json`: the run's scores and matrix as plain text."""
from __future__ import annotations

from conformance.report.scores import matrix, percent, scores_by_operation, summary_lines


def _cell(counted: dict | None) -> str:
    return "" if counted is None else f"{counted['passed']}/{counted['failed']}"


def render_show(document: dict) -> str:
    """Run identity, scores by level, then operations x categories (passed/failed items) with scores."""
    run, records = document["run"], document["cases"]
    lines = [f"endpoint: {run.get('endpoint')}  auth: {', '.join(run.get('auth') or [])}  "
             f"started: {run.get('started')}",
             f"suite: {run.get('suite_version') or 'unknown'}"
             + (f" (commit {run['suite_commit']})" if run.get("suite_commit") else ""), "",
             "pass rates (items: one case under one scheme)", *summary_lines(records), ""]
    cells = matrix(records)
    columns = sorted({category for row in cells.values() for category in row})
    by_operation = scores_by_operation(records)
    headers = ["operation", *columns, "score"]
    rows = [[operation, *(_cell(row.get(column)) for column in columns),
             percent(by_operation[operation]["pass_rate"])] for operation, row in cells.items()]
    widths = [max(len(str(row[index])) for row in [headers, *rows]) for index in range(len(headers))]
    lines.append("matrix: passed/failed items per operation and category")
    for row in [headers, *rows]:
        lines.append("  ".join(str(value).ljust(width) for value, width in zip(row, widths, strict=True)).rstrip())
    failing = sorted(record["node_id"] for record in records if record["outcome"] in ("failed", "error"))
    passing_deviations = sorted(record["node_id"] for record in records if record["outcome"] == "xpassed")
    for title, nodes in ((f"failing items ({len(failing)}):", failing),
                         (f"listed deviations that now pass, failing the run ({len(passing_deviations)}):",
                          passing_deviations)):
        if nodes:
            lines += ["", title, *(f"  {node}" for node in nodes)]
    if failing or passing_deviations:
        lines += ["", "rerun one with the run's target options: importexport-conformance --target-config FILE "
                      "'<node id>'"]
    return "\n".join(lines) + "\n"
