"""index.html: the run as a page a person opens, from the results.json document.

Self-contained (inline CSS and script, nothing fetched; a Content-Security-Policy forbids it): the
run's identity, scores by level and per operation, the operations x categories matrix coloured by
pass rate, filters (outcome, level, operation, category, text) and every item as a `<details>`
block with its expectation, mismatches and exchanges (request, curl line, response). Every value is
HTML-escaped here; the script only shows and hides rows.
"""
from __future__ import annotations

from html import escape
from importlib import resources
from pathlib import Path
from string import Template

from conformance.report.scores import LEVELS, categories, matrix, percent, score, scores_by_level, scores_by_operation

TEMPLATE_NAME = "index_template.html"
OUTCOMES = ("failed", "error", "no_answer", "xfailed", "xpassed", "passed", "skipped")


def _text(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _meta(run: dict) -> str:
    seeds = run.get("seeds") or {}
    rows = [
        ("endpoint", run.get("endpoint")), ("auth", ", ".join(run.get("auth") or [])),
        ("suite", f"{run.get('suite_version') or 'not installed'}"
                  + (f" (commit {run['suite_commit']})" if run.get("suite_commit") else "")),
        ("command line", run.get("command_line")), ("started", run.get("started")),
        ("finished", run.get("finished")),
        ("seeds", ", ".join(f"{name} {value}" for name, value in seeds.items() if value is not None) or "none"),
        ("complete", "yes" if run.get("complete", True) else "no: " + "; ".join(run.get("incomplete_reasons") or [])),
        ("re-sent after no answer", (run.get("transport") or {}).get("resent")),
    ]
    return "\n".join(f"<tr><td>{_text(name)}</td><td><code>{_text(value)}</code></td></tr>" for name, value in rows)


def _score_row(label: str, counted: dict) -> str:
    return (f'<tr><th>{_text(label)}</th><td class="num">{percent(counted["pass_rate"])}</td>'
            f'<td class="num">{counted["passed"]}</td><td class="num">{counted["failed"]}</td>'
            f'<td class="num">{counted["not_run"]}</td></tr>')


def _cell_class(counted: dict) -> str:
    if counted["passed"] + counted["failed"] == 0:
        return "none"
    if counted["failed"] == 0:
        return "pass"
    return "fail" if counted["passed"] == 0 else "mixed"


def _matrix(records: list[dict]) -> str:
    cells = matrix(records)
    columns = sorted({category for row in cells.values() for category in row})
    by_operation = scores_by_operation(records)
    head = ("<tr><th>operation</th>" + "".join(f"<th>{_text(column)}</th>" for column in columns)
            + "<th>score</th></tr>")
    rows = [head]
    for operation, row in cells.items():
        parts = [f'<th class="op" data-operation="{_text(operation)}">{_text(operation)}</th>']
        for column in columns:
            counted = row.get(column)
            if counted is None:
                parts.append('<td class="cell none"></td>')
                continue
            parts.append(f'<td class="cell {_cell_class(counted)}" data-operation="{_text(operation)}" '
                         f'data-category="{_text(column)}" title="{_text(operation)} / {_text(column)}: '
                         f'{counted["not_run"]} not run">{counted["passed"]} / {counted["failed"]}</td>')
        parts.append(f'<td class="num">{percent(by_operation[operation]["pass_rate"])}</td>')
        rows.append("<tr>" + "".join(parts) + "</tr>")
    return "\n".join(rows)


def _pre(label: str, text) -> str:
    return f"<p><b>{_text(label)}</b></p><pre>{_text(text)}</pre>"


def _exchange(exchange: dict) -> str:
    request = exchange["request"]
    sent = "\n".join([f"{request['method']} {request['url']}",
                      *(f"{name}: {value}" for name, value in request["headers"]), "", request["body"]])
    parts = [_pre("Request as sent", sent)]
    if request.get("string_to_sign"):
        parts.append(_pre("String to sign", request["string_to_sign"]))
    parts.append(_pre("Reproduce with curl", exchange["curl"]))
    response = exchange.get("response")
    if response is None:
        parts.append(_pre("No response", exchange.get("error")))
    else:
        received = "\n".join([f"HTTP {response['status']} {response['reason']}".rstrip(),
                              *(f"{name}: {value}" for name, value in response["headers"]), "", response["body"]])
        parts.append(_pre(f"Response ({response['body_bytes']} bytes, {exchange.get('elapsed_s')} s)", received))
    return "\n".join(parts)


def _mismatches(mismatches: list[dict]) -> str:
    items = []
    for mismatch in mismatches:
        lines = [f"[{mismatch.get('check')}] {mismatch.get('message')}"]
        if mismatch.get("expected") is not None:
            lines.append(f"- expected: {mismatch['expected']}")
        if mismatch.get("actual") is not None:
            lines.append(f"+ actual:   {mismatch['actual']}")
        lines.extend(f"* {detail}" for detail in mismatch.get("details") or [])
        items.append(f"<li><pre>{_text(chr(10).join(lines))}</pre></li>")
    return "<p><b>Mismatches</b></p><ol>" + "".join(items) + "</ol>" if items else ""


def _case(record: dict) -> str:
    outcome = record["outcome"]
    scheme = f" [{record['scheme']}]" if record.get("scheme") and record["scheme"] != "none" else ""
    facts = [("node id", record.get("node_id")), ("file", record.get("file")), ("source", record.get("source")),
             ("level", record.get("level")), ("tags", ", ".join(record.get("tags") or [])),
             ("expected status", record.get("expected_status")), ("expected code", record.get("expected_code")),
             ("failed step", record.get("failed_step")), ("duration", f"{record.get('duration_s', 0):.3f} s"),
             ("re-sent after no answer", record.get("transport_resent"))]
    body = ["<table>" + "".join(f"<tr><td>{_text(name)}</td><td><code>{_text(value)}</code></td></tr>"
                                for name, value in facts if value not in (None, "")) + "</table>",
            _mismatches(record.get("mismatches") or [])]
    if record.get("property"):
        body.append(_pre("Property run", record["property"]))
    for step in record.get("steps") or []:
        verdict = " (did not conform)" if step.get("mismatches") else ""
        body.append(f"<h4>{_text(step['label'])}{verdict}</h4>")
        if step.get("exchange"):
            body.append(_exchange(step["exchange"]))
    if not record.get("steps") and record.get("exchange"):
        body.append(_exchange(record["exchange"]))
    if record.get("longrepr") and outcome in ("error",):
        body.append(_pre("Error", record["longrepr"]))
    return (f'<details class="case {_text(outcome)}" data-outcome="{_text(outcome)}" '
            f'data-level="{_text(record.get("level"))}" data-operation="{_text(record.get("operation"))}" '
            f'data-categories="{_text(" ".join(categories(record)))}" data-case-id="{_text(record["id"])}">'
            f'<summary><span class="badge">{_text(outcome)}</span> <code>{_text(record["id"])}{_text(scheme)}'
            f'</code> &middot; {_text(record.get("operation"))} &middot; {_text(record.get("level"))}</summary>'
            + "\n".join(body) + "</details>")


def _options(values) -> str:
    return "".join(f"<option>{_text(value)}</option>" for value in values)


def render_index(document: dict) -> str:
    """The page for one results.json document."""
    run, records = document["run"], document["cases"]
    ordered = sorted(records, key=lambda r: (OUTCOMES.index(r["outcome"]) if r["outcome"] in OUTCOMES else 0,
                                             r["node_id"]))
    level_scores = scores_by_level(records)
    template = Template(resources.files("conformance.report").joinpath(TEMPLATE_NAME).read_text(encoding="utf-8"))
    return template.substitute(
        title=_text(run.get("endpoint")),
        meta=_meta(run),
        level_rows="\n".join([_score_row("all", score(records))]
                             + [_score_row(level, level_scores[level]) for level in LEVELS]),
        matrix=_matrix(records),
        outcome_options=_options(outcome for outcome in OUTCOMES if any(r["outcome"] == outcome for r in records)),
        operation_options=_options(sorted({r.get("operation") or "?" for r in records})),
        category_options=_options(sorted({c for r in records for c in categories(r)})),
        cases="\n".join(_case(record) for record in ordered),
    )


def write_index(report_dir: Path, document: dict) -> Path:
    """Write `index.html` into `report_dir` and return its path."""
    path = report_dir / "index.html"
    path.write_text(render_index(document), encoding="utf-8")
    return path
