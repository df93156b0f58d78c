"""Reading published request examples (`fixtures/examples/reference/*.txt`).

A published example is a request line, header lines (`name:value`), an optional blank line, and a
body. The documentation renderer wrapped the body over several lines, so the body is those lines
joined without separators (docs/contract.md §3); trailing spaces on a line are kept as published.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

_REQUEST_LINE = re.compile(r"^(?P<method>[A-Z]+) (?P<target>\S+) HTTP/\d\.\d$")
_HEADER_LINE = re.compile(r"^(?P<name>[A-Za-z0-9!#$%&'*+.^_`|~-]+):(?P<value>.*)$")


class ExampleError(Exception):
    """A published example file that does not have the request-line / headers / body shape."""


@dataclass(frozen=True)
class PublishedRequest:
    """A published example request as printed: method, target, headers and the unwrapped body."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: str

    def body_params(self) -> list[tuple[str, str]]:
        """The body's form parameters, decoded, in published order (blank values kept)."""
        return parse_qsl(self.body, keep_blank_values=True, errors="replace")


def read_published_request(path: Path) -> PublishedRequest:
    """Parse one published request example file."""
    lines = [line.removesuffix("\r") for line in path.read_text(encoding="utf-8").split("\n")]
    if not lines[0]:
        raise ExampleError(f"{path}: empty example file")
    request_line = _REQUEST_LINE.match(lines[0].strip())
    if request_line is None:
        raise ExampleError(f"{path}: first line is not a request line like 'POST / HTTP/1.1': {lines[0]!r}")
    headers = []
    index = 1
    while index < len(lines):
        header = _HEADER_LINE.match(lines[index])
        if header is None:
            break
        headers.append((header["name"], header["value"].strip()))
        index += 1
    if index < len(lines) and lines[index].strip() == "":
        index += 1
    return PublishedRequest(
        method=request_line["method"],
        target=request_line["target"],
        headers=tuple(headers),
        body="".join(lines[index:]),
    )
