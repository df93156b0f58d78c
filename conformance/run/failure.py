"""Failure output: what a developer needs to understand and reproduce a non-conforming case.

Shows the case (id, scheme, file, source, doc, decision), the facts and decisions it cites with
their text and address (conformance/references.py), every mismatch as an expected/actual pair,
the steps that ran, the request exactly as sent (decoded for display) with the string that
was signed and a runnable curl command, and the response status line, headers and body.
"""
from __future__ import annotations

import shlex

from conformance.cases.loader import display_name
from conformance.references import cited
from conformance.run.checks import Mismatch
from conformance.run.runner import CaseFailed, NoAnswer, StepRecord
from conformance.wire.transport import Exchange, OutgoingRequest

MAX_BODY_DISPLAY_BYTES = 16 * 1024
INDENT = "    "


def _indented(text: str, prefix: str = INDENT) -> str:
    return "\n".join(prefix + line for line in text.splitlines()) if text else prefix + "(empty)"


def display_body(body: bytes) -> str:
    """`body` as text for display: UTF-8 with backslash escapes, capped at MAX_BODY_DISPLAY_BYTES."""
    shown = body[:MAX_BODY_DISPLAY_BYTES].decode("utf-8", errors="backslashreplace")
    if len(body) > MAX_BODY_DISPLAY_BYTES:
        shown += f"\n... ({len(body) - MAX_BODY_DISPLAY_BYTES} more bytes not shown)"
    return shown


def _printable_text(data: bytes):
    """`data` as text when it is UTF-8 that a shell word can carry as is, else None."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if all(char.isprintable() or char in "\n\t" for char in text) else None


def _printf_escaped(data: bytes) -> str:
    """`data` for `printf '%b'`: printable ASCII as is; other bytes, backslash and quote as \\xHH."""
    return "".join(chr(byte) if 0x20 <= byte < 0x7F and byte not in b"\\'" else f"\\x{byte:02x}" for byte in data)


def curl_command(request: OutgoingRequest) -> str:
    """A bash command running curl with the same method, URL, headers and body bytes.

    A body that is printable text goes in `--data-binary '<body>'`; any other body (NUL bytes,
    invalid UTF-8, control characters) is piped in from `printf '%b'` with `--data-binary @-`.
    """
    words = ["curl", "-sS", "-i", "--globoff", "--path-as-is", "-X", request.method, shlex.quote(request.url)]
    for name, value in request.headers:
        words += ["-H", shlex.quote(f"{name}: {value}")]
    words += ["-H", shlex.quote("Accept:")]
    if not request.body and request.method in ("GET", "HEAD"):
        return " ".join(words)
    text = _printable_text(request.body)
    if text is not None:
        return " ".join([*words, "--data-binary", shlex.quote(text)])
    return f"printf '%b' '{_printf_escaped(request.body)}' | " + " ".join([*words, "--data-binary", "@-"])


def render_mismatch(number: int, mismatch: Mismatch) -> str:
    """`1. [status] message` followed by `- expected` / `+ actual` lines and any details."""
    lines = [f"  {number}. [{mismatch.check}] {mismatch.message}"]
    if mismatch.expected is not None:
        lines.append(f"       - expected: {mismatch.expected}")
    if mismatch.actual is not None:
        lines.append(f"       + actual:   {mismatch.actual}")
    lines.extend(f"       * {detail}" for detail in mismatch.details)
    return "\n".join(lines)


def render_exchange(exchange: Exchange) -> str:
    """The request as sent, string to sign, curl command, and the response (or why there was none)."""
    request = exchange.request
    blocks = [f"Request as sent ({len(request.wire_bytes())} bytes):\n"
              + _indented(request.wire_bytes().decode("utf-8", errors="backslashreplace"))]
    if request.string_to_sign:
        blocks.append("String to sign:\n" + _indented(request.string_to_sign))
    blocks.append("Reproduce with curl (a replay may meet the target's request-expiry window):\n"
                  + INDENT + curl_command(request))
    if exchange.earlier_attempts:
        blocks.append(f"Sent {len(exchange.earlier_attempts) + 1} times (--transport-retries); the earlier attempts "
                      "got no answer:\n" + "\n".join(INDENT + error for error in exchange.earlier_attempts))
    response = exchange.response
    if response is None:
        blocks.append(f"No response: {exchange.error}")
        return "\n\n".join(blocks)
    details = [f"{len(response.body)} bytes", f"{exchange.elapsed_s:.2f} s"] + (
        ["incomplete"] if response.truncated else [])
    blocks.append(f"Response: HTTP {response.status} {response.reason}".rstrip() + f" ({', '.join(details)}):\n"
                  + _indented("\n".join(f"{name}: {value}" for name, value in response.headers))
                  + "\n\n" + _indented(display_body(response.body)))
    if exchange.error is not None:
        blocks.append(f"Transport problem: {exchange.error}")
    return "\n\n".join(blocks)


def exchange_record(exchange: Exchange) -> dict:
    """One exchange as JSON-ready data (results.json, the HTML report, replay): the request as sent,
    its curl line, and the response with its body capped like the failure text."""
    request = exchange.request
    response = exchange.response
    return {
        "request": {
            "method": request.method, "url": request.url,
            "headers": [[name, value] for name, value in request.headers],
            "body": display_body(request.body), "body_bytes": len(request.body),
            "string_to_sign": request.string_to_sign or None,
        },
        "curl": curl_command(request),
        "response": None if response is None else {
            "status": response.status, "reason": response.reason,
            "headers": [[name, value] for name, value in response.headers],
            "body": display_body(response.body), "body_bytes": len(response.body),
            "truncated": response.truncated,
        },
        "error": None if exchange.error is None else str(exchange.error),
        "no_answer": exchange.no_answer,
        "earlier_attempts": list(exchange.earlier_attempts),
        "elapsed_s": round(exchange.elapsed_s, 3),
    }


def steps_record(history: list[StepRecord]) -> list[dict]:
    """Every step of a case run with its exchange (if it sent one) and its mismatches."""
    return [{"label": record.label,
             "exchange": None if record.exchange is None else exchange_record(record.exchange),
             "mismatches": [mismatch.as_dict() for mismatch in record.mismatches]}
            for record in history]


def render_references(source: str | None, decision: str | None) -> str | None:
    """The facts and decisions named by a case's `source` and `decision`, each with its address."""
    references = cited(source, decision)
    if not references:
        return None
    return "Sources and decisions cited:\n" + "\n".join(
        f"  {line}" for reference in references for line in reference.lines())


def render_failure(failure: CaseFailed) -> str:
    """The whole failure report for one case run."""
    case = failure.case
    verdict = "got no answer (no verdict on conformance)" if isinstance(failure, NoAnswer) else "did not conform"
    header = [
        f"Case {case.id} [{failure.scheme}] {verdict} at {failure.failed.label}",
        f"  file:     {display_name(case.file, case.fixtures_root)}",
        f"  source:   {case.source} (level: {case.level})",
        f"  doc:      {case.doc}",
    ]
    if case.decision:
        header.append(f"  decision: {case.decision}")
    mismatches = failure.failed.mismatches
    parts = ["\n".join(header)]
    references = render_references(case.source, case.decision)
    if references:
        parts.append(references)
    parts += ["\n".join([f"Mismatches ({len(mismatches)}):"] + [
        render_mismatch(number, mismatch) for number, mismatch in enumerate(mismatches, start=1)])]
    parts.append("Steps run:\n" + "\n".join(f"  {record.summary()}" for record in failure.history))
    if failure.notes:
        parts.append("Notes:\n" + "\n".join(f"  {note}" for note in failure.notes))
    if failure.failed.exchange is not None:
        parts.append(render_exchange(failure.failed.exchange))
    return "\n\n".join(parts)
