"""index.html: the run as a page a person opens, from the results.json document.

Self-contained (inline CSS and script, nothing fetched; a Content-Security-Policy forbids it): the
run's identity, scores by level and per operation, the operations x categories matrix coloured by
pass rate, filters (outcome, level, operation, category, text) and every item as a `<details>`
block with its node id and a command that reruns it, its doc and decision, the facts and decisions it
cites (text and address), the expectation of the step that failed, the mismatches, the reason it was
not run, and its exchanges (request, curl line, response). The run's suite version and commit,
target and selection head the page. Every value is HTML-escaped here; the script only shows and
hides rows.
"""
from __future__ import annotations

import shlex
from html import escape
from importlib import resources
from pathlib import Path
from string import Template

from conformance.locations import PROGRAM
from conformance.report.results_file import item_key
from conformance.report.scores import LEVELS, categories, matrix, percent, score, scores_by_level, scores_by_operation

TEMPLATE_NAME = "index_template.html"
OUTCOMES = ("failed", "error", "no_answer", "xfailed", "xpassed", "passed", "skipped")


def _text(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _meta(run: dict) -> str:
    seeds = run.get("seeds") or {}
    target = run.get("target") or {}
    selection = run.get("selection") or {}
    chosen = [f"{name} {value}" for name, value in (("paths", " ".join(selection.get("paths") or [])),
                                                     ("-k", selection.get("keyword")),
                                                     ("-m", selection.get("markers")),
                                                     ("deviations", selection.get("deviations"))) if value]
    rows = [
        ("endpoint", run.get("endpoint")), ("auth", ", ".join(run.get("auth") or [])),
        ("control API", target.get("control_url") or ("none" if target else None)),
        ("suite", f"{run.get('suite_version') or 'unknown version'}"
                  + (f" (commit {run['suite_commit']})" if run.get("suite_commit") else " (commit unknown)")),
        ("selection", "; ".join(chosen) or None),
        ("command line", run.get("command_line")), ("started", run.get("started")),
        ("finished", run.get("finished")),
        ("seeds", ", ".join(f"{name} {value}" for name, value in seeds.items() if value is not None) or "none"),
        *((f"not run: {reason}", f"{count} items") for reason, count in (run.get("not_run") or {}).items()),
        ("complete", "yes" if run.get("complete", True) else "no: " + "; ".join(run.get("incomplete_reasons") or [])),
        ("re-sent after no answer", (run.get("transport") or {}).get("resent")),
    ]
    return "\n".join(f"<tr><td>{_text(name)}</td><td><code>{_text(value)}</code></td></tr>"
                     for name, value in rows if value is not None)


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
    head = ("<tr><th>operation</th>" + "".join(f'<th class="col"><span>{_text(column)}</span></th>'
                                               for column in columns)
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


def _references(record: dict) -> str:
    """The facts and decisions the case cites, each with its text and address."""
    items = []
    for reference in record.get("references") or []:
        addresses = "".join(
            f'<br><a href="{_text(address)}">{_text(address)}</a>' if address.startswith(("https://", "http://"))
            else f"<br>{_text(address)}" for address in reference.get("addresses") or [])
        items.append(f"<li><b>{_text(reference['id'])}</b> ({_text(reference.get('kind'))}): "
                     f"{_text(reference.get('text'))}{addresses}</li>")
    return "<p><b>Sources and decisions cited</b></p><ul>" + "".join(items) + "</ul>" if items else ""


def rerun_command(record: dict) -> str:
    """The command that reruns exactly this item (add the run's target options)."""
    return f"{PROGRAM} {shlex.quote(record['node_id'])}"


def _case(record: dict) -> str:
    outcome = record["outcome"]
    key = item_key(record)
    expected = record.get("failed_step_expected") if record.get("failed_step") else None
    step = f" (of {record['failed_step']})" if expected else ""
    expected = expected or {"status": record.get("expected_status"), "code": record.get("expected_code")}
    facts = [("node id", record.get("node_id")), ("rerun (with this run's target options)", rerun_command(record)),
             ("file", record.get("file")), ("source", record.get("source")), ("level", record.get("level")),
             ("doc", record.get("doc")), ("decision", record.get("decision")),
             ("tags", ", ".join(record.get("tags") or [])), ("not run because", record.get("skip_reason")),
             (f"expected status{step}", expected.get("status")), (f"expected code{step}", expected.get("code")),
             ("failed step", record.get("failed_step")), ("duration", f"{record.get('duration_s', 0):.3f} s"),
             ("re-sent after no answer", record.get("transport_resent"))]
    body = ["<table>" + "".join(f"<tr><td>{_text(name)}</td><td><code>{_text(value)}</code></td></tr>"
                                for name, value in facts if value not in (None, "")) + "</table>",
            _references(record), _mismatches(record.get("mismatches") or [])]
    if record.get("property"):
        body.append(_pre("Property run", record["property"]))
    for step_record in record.get("steps") or []:
        verdict = " (did not conform)" if step_record.get("mismatches") else ""
        body.append(f"<h4>{_text(step_record['label'])}{verdict}</h4>")
        if step_record.get("exchange"):
            body.append(_exchange(step_record["exchange"]))
    if not record.get("steps") and record.get("exchange"):
        body.append(_exchange(record["exchange"]))
    if record.get("longrepr") and outcome in ("error",):
        body.append(_pre("Error", record["longrepr"]))
    return (f'<details class="case {_text(outcome)}" data-outcome="{_text(outcome)}" '
            f'data-level="{_text(record.get("level"))}" data-operation="{_text(record.get("operation"))}" '
            f'data-categories="{_text(" ".join(categories(record)))}" data-case-id="{_text(record["id"])}">'
            f'<summary><span class="badge">{_text(outcome)}</span> <code>{_text(key)}</code> &middot; '
            f'{_text(record.get("operation"))} &middot; {_text(record.get("level"))}</summary>'
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
