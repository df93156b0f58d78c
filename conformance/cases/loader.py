"""Loading case files: YAML -> JSON-schema validation -> expansion -> semantic checks -> `definitions.Case`.

The schema validates the file as written; `expansion` then turns defaults, families, shared steps,
named checks, parameter sets and manifest templates into plain cases, each validated again.

Beyond the schema (`case_schema.json`) the loader checks what a schema cannot: referenced manifest
and example files exist inside the fixtures directory, XPath expressions and regular expressions
compile, every `${name}` is a built-in or was saved by an earlier step, and scheme-specific signing
overrides are only used by cases that run under that scheme. Every error names the file, the case
id and the field path, e.g. `fixtures/CancelJob/basic.yaml: case CancelJob.X: cases[0].steps[1].expect.status: ...`.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from conformance.cases.datafiles import (
    DataFileError,
    describe_schema_error,
    first_schema_error,
    format_path,
)
from conformance.cases.definitions import (
    DEFAULT_API_EXPECTATION,
    DEFAULT_FETCH_EXPECTATION,
    OPERATIONS,
    SIGNED_SCHEMES,
    ApiStep,
    Case,
    ControlStep,
    Expectation,
    FetchStep,
    RawSpec,
    RequestSpec,
    SigningOverrides,
    Step,
    XPathCheck,
)
from conformance.cases.expansion import ExpansionError, expand
from conformance.cases.templating import referenced_names
from conformance.xmldoc import XmlError, compile_xpath

CASE_SCHEMA = Path(__file__).with_name("case_schema.json")
BUILTIN_NAMES = frozenset({
    "primary.access_key_id", "secondary.access_key_id", "host", "unique",
    "bucket.primary", "bucket.log", "bucket.other_region", "bucket.foreign", "bucket.missing",
})
SIGV2_ONLY_OVERRIDES = frozenset({"method", "signature_version", "expires_in_s", "timestamp_and_expires",
                                  "timestamp_format"})
SIGV4_ONLY_OVERRIDES = frozenset({"scope_region", "scope_service"})


class CaseFileError(DataFileError):
    """A case file that fails validation; the message names file, case id and field path."""


def wire_text(value) -> str:
    """A YAML scalar as it goes on the wire: booleans as `true`/`false`, numbers as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _pairs(mapping_or_pairs) -> tuple:
    items = mapping_or_pairs.items() if isinstance(mapping_or_pairs, dict) else mapping_or_pairs
    return tuple((str(name), wire_text(value)) for name, value in items)


class _CaseBuilder:
    """Turns one validated case mapping into a `Case`, checking what the schema cannot."""

    def __init__(self, raw: dict, index: int, file: Path, fixtures_root: Path, display: str, line: int):
        self.raw = raw
        self.line = line
        self.index = index
        self.file = file
        self.fixtures_root = fixtures_root
        self.display = display
        self.auth = tuple(raw.get("auth", SIGNED_SCHEMES))
        self.operations = {raw["operation"]}
        self.uses_secondary = "secondary" in raw.get("requires", ())
        self.uses_control = "control" in raw.get("requires", ())

    def fail(self, parts: list, message: str):
        where = format_path(["cases", self.index, *parts])
        raise CaseFileError(f"{self.display}: case {self.raw['id']}: {where}: {message}")

    def build(self) -> Case:
        saved: set = set()
        steps = self.steps(self.raw["steps"], ["steps"], "steps", saved)
        teardown = self.steps(self.raw.get("teardown", ()), ["teardown"], "teardown", set(saved))
        return Case(
            id=self.raw["id"], operation=self.raw["operation"], level=self.raw["level"],
            source=self.raw["source"], doc=self.raw["doc"], file=self.file,
            fixtures_root=self.fixtures_root, steps=steps, teardown=teardown, line=self.line,
            tags=tuple(self.raw.get("tags", ())), decision=self.raw.get("decision"), auth=self.auth,
            requires=tuple(self.raw.get("requires", ())), example=bool(self.raw.get("example", False)),
            operations=tuple(sorted(self.operations & set(OPERATIONS))),
            uses_secondary=self.uses_secondary, uses_control=self.uses_control,
        )

    def steps(self, raw_steps, parts: list, label: str, saved: set) -> tuple[Step, ...]:
        built: list[Step] = []
        for position, raw_step in enumerate(raw_steps):
            step_parts = [*parts, position]
            step_label = f"{label}[{position}]"
            if "control" in raw_step:
                built.append(self.control_step(raw_step["control"], step_parts, step_label, saved))
            elif "fetch" in raw_step:
                self.check_names(raw_step, step_parts, saved)
                built.append(FetchStep(label=f"{step_label} fetch", url=raw_step["fetch"],
                                       expect=self.fetch_expectation(raw_step.get("expect"))))
            else:
                built.append(self.api_step(raw_step, step_parts, step_label, saved))
        return tuple(built)

    def check_names(self, value, parts: list, saved: set) -> None:
        """Fail at the first string referring to a name that is neither built in nor saved earlier."""
        if isinstance(value, dict):
            for key, item in value.items():
                self.check_names(key, parts, saved)
                self.check_names(item, [*parts, key], saved)
        elif isinstance(value, list):
            for position, item in enumerate(value):
                self.check_names(item, [*parts, position], saved)
        elif isinstance(value, str):
            names = referenced_names(value)
            if any(name.startswith("secondary.") for name in names):
                self.uses_secondary = True
            unknown = sorted(names - BUILTIN_NAMES - saved)
            if unknown:
                self.fail(parts, f"${{{unknown[0]}}} is neither a built-in name nor saved by an earlier step")

    def control_step(self, raw: dict, parts: list, label: str, saved: set) -> ControlStep:
        self.uses_control = True
        self.check_names(raw, [*parts, "control"], saved)
        if raw.get("as") == "secondary":
            self.uses_secondary = True
        arguments = tuple((key, value) for key, value in raw.items() if key != "call")
        return ControlStep(label=f"{label} control {raw['call']}", call=raw["call"], arguments=arguments)

    def api_step(self, raw: dict, parts: list, label: str, saved: set) -> ApiStep:
        operation = raw.get("operation", self.raw["operation"])
        self.operations.add(operation)
        account = raw.get("as", "primary")
        if account == "secondary":
            self.uses_secondary = True
        self.check_names({key: value for key, value in raw.items() if key != "state"}, parts, saved)
        request = (self.request(raw["request"], [*parts, "request"], saved) if "request" in raw
                   else None if "raw" in raw else RequestSpec())
        raw_spec = self.raw_spec(raw["raw"], [*parts, "raw"]) if "raw" in raw else None
        expect = self.expectation(raw["expect"], [*parts, "expect"]) if "expect" in raw else DEFAULT_API_EXPECTATION
        save = tuple(raw.get("save", {}).items())
        for name, expression in save:
            if name in {builtin.split(".")[0] for builtin in BUILTIN_NAMES}:
                self.fail([*parts, "save", name], f"{name!r} is a built-in name and cannot be saved")
            self.compile([*parts, "save", name], expression)
        saved.update(name for name, _ in save)
        state = self.steps(raw.get("state", ()), [*parts, "state"], f"{label}.state", set(saved))
        return ApiStep(label=f"{label} {operation}", operation=operation, account=account, request=request,
                       raw=raw_spec, expect=expect, save=save, state=state)

    def fixture_file(self, relative: str, parts: list) -> Path:
        root = self.fixtures_root.resolve()
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root):
            self.fail(parts, f"{relative!r} is outside the fixtures directory {self.fixtures_root}")
        if not candidate.is_file():
            self.fail(parts, f"{relative!r}: no such file under {self.fixtures_root}")
        return candidate

    def request(self, raw: dict, parts: list, saved: set) -> RequestSpec:
        manifest_file = None
        if "manifest" in raw:
            manifest_file = self.fixture_file(raw["manifest"], [*parts, "manifest"])
            try:
                self.check_names(manifest_file.read_text(encoding="utf-8"), [*parts, "manifest"], saved)
            except UnicodeDecodeError:
                self.fail([*parts, "manifest"], f"{raw['manifest']!r} is not UTF-8 text")
        signing = raw.get("signing", {})
        self.check_signing(signing, bool(raw.get("unsigned")), [*parts, "signing"])
        if "signature_version" in signing:
            signing = {**signing, "signature_version": wire_text(signing["signature_version"])}
        return RequestSpec(
            params=_pairs(raw.get("params", {})),
            manifest_file=manifest_file,
            manifest_text=raw.get("manifest_text"),
            omit=tuple(raw.get("omit", ())),
            action_param=raw.get("action_param", "Action"),
            method=raw.get("method", "POST"),
            query=raw.get("query"),
            form_encoding=raw.get("form_encoding", "plus"),
            content_type=raw.get("content_type"),
            signing=SigningOverrides(**signing),
            unsigned=bool(raw.get("unsigned", False)),
            example_file=self.fixture_file(raw["example"], [*parts, "example"]) if "example" in raw else None,
            example_set=_pairs(raw.get("example_set", {})),
            example_drop=tuple(raw.get("example_drop", ())),
        )

    def check_signing(self, signing: dict, unsigned: bool, parts: list) -> None:
        if not signing:
            return
        if unsigned or self.auth == ("none",):
            self.fail(parts, "signing overrides need a signed request, but this one is sent unsigned")
        for only, scheme in ((SIGV2_ONLY_OVERRIDES, "sigv2"), (SIGV4_ONLY_OVERRIDES, "sigv4")):
            used = sorted(only & set(signing))
            if used and self.auth != (scheme,):
                self.fail([*parts, used[0]], f"applies to {scheme} only; set the case's auth: [{scheme}]")

    def raw_spec(self, raw: dict, parts: list) -> RawSpec:
        return RawSpec(
            method=raw.get("method", "POST"),
            path=raw.get("path", "/"),
            headers=tuple(raw.get("headers", {}).items()),
            body=raw.get("body"),
            body_b64=raw.get("body_b64"),
            example_file=self.fixture_file(raw["example"], [*parts, "example"]) if "example" in raw else None,
        )

    def compile(self, parts: list, expression: str) -> None:
        try:
            compile_xpath(expression)
        except XmlError as error:
            self.fail(parts, str(error))

    def expectation(self, raw: dict, parts: list) -> Expectation:
        if "one_of" in raw:
            return Expectation(one_of=tuple(
                self.alternative(alternative, [*parts, "one_of", position])
                for position, alternative in enumerate(raw["one_of"])
            ))
        return self.alternative(raw, parts)

    def alternative(self, raw: dict, parts: list) -> Expectation:
        status = raw.get("status")
        code = raw.get("code")
        checks = []
        for position, check in enumerate(raw.get("xpath", ())):
            check_parts = [*parts, "xpath", position]
            self.compile([*check_parts, "path"], check["path"])
            kind = next(key for key in check if key != "path")
            value = check[kind]
            if kind == "matches":
                try:
                    re.compile(value)
                except re.error as error:
                    self.fail([*check_parts, "matches"], f"invalid regular expression: {error}")
            elif kind == "order":
                value = tuple(wire_text(item) for item in value)
            elif kind in ("equals", "contains", "not_contains"):
                value = wire_text(value)
            checks.append(XPathCheck(path=check["path"], kind=kind, value=value))
        return Expectation(
            status=tuple(status) if isinstance(status, list) else status,
            code=(code,) if isinstance(code, str) else (tuple(code) if code else None),
            error_type=raw.get("type"),
            xsd=raw.get("xsd", True),
            content_type_xml=raw.get("content_type_xml", True),
            xpath=tuple(checks),
        )

    @staticmethod
    def fetch_expectation(raw: dict | None) -> Expectation:
        if not raw:
            return DEFAULT_FETCH_EXPECTATION
        status = raw.get("status", "2xx")
        return Expectation(
            status=tuple(status) if isinstance(status, list) else status,
            xsd=False, content_type_xml=False, body_starts_with=raw.get("body_starts_with"),
        )


def _case_id_at(data, path) -> str | None:
    parts = list(path)
    if len(parts) >= 2 and parts[0] == "cases" and isinstance(parts[1], int):
        try:
            case = data["cases"][parts[1]]
        except (TypeError, IndexError, KeyError):
            return None
        if isinstance(case, dict) and isinstance(case.get("id"), str):
            return case["id"]
    return None


def display_name(file: Path, fixtures_root: Path) -> str:
    """`fixtures/CancelJob/basic.yaml`: the file relative to the fixtures directory's parent."""
    try:
        return file.relative_to(fixtures_root.parent).as_posix()
    except ValueError:
        return str(file)


def cases_from_data(data, file: Path, fixtures_root: Path, lines: Sequence[str] = ()) -> list[Case]:
    """Validate case-file data (parsed YAML, or generated) and build its cases.

    `file` names the data in messages and reports (it need not exist); `lines` is its text, used
    only to find each case's line number.
    """
    display = display_name(file, fixtures_root)
    id_lines = _id_lines(lines)
    error = first_schema_error(CASE_SCHEMA, data)
    if error is not None:
        case_id = _case_id_at(data, error.absolute_path)
        label = f"case {case_id}: " if case_id else ""
        raise CaseFileError(f"{display}: {label}{describe_schema_error(error)}")
    try:
        expanded = expand(data, fixtures_root)
    except ExpansionError as failure:
        raise CaseFileError(f"{display}: case {failure.case_id}: "
                            f"{format_path(['cases', failure.index, *failure.parts])}: {failure}") from None
    except DataFileError as failure:
        raise CaseFileError(f"{display}: {failure}") from None
    cases = []
    seen = set()
    for index, raw in expanded:
        expanded_error = first_schema_error(CASE_SCHEMA, {"concern": data["concern"], "cases": [raw]})
        if expanded_error is not None:
            path = ["cases", index, *list(expanded_error.absolute_path)[2:]]
            raise CaseFileError(f"{display}: case {raw['id']}: {format_path(path)}: "
                                f"{describe_schema_error(expanded_error).split(': ', 1)[1]}")
        if raw["id"] in seen:
            raise CaseFileError(f"{display}: case {raw['id']}: cases[{index}].id: duplicate id in this file")
        seen.add(raw["id"])
        line = id_lines.get(data["cases"][index]["id"], 0)
        cases.append(_CaseBuilder(raw, index, file, fixtures_root, display, line).build())
    return cases


_ID_LINE = re.compile(r"""^\s*(?:-\s+)?id:\s*(?P<quote>['"]?)(?P<id>.*?)(?P=quote)\s*(?:#.*)?$""")


def _id_lines(lines: Sequence[str]) -> dict[str, int]:
    """Each case id -> the 0-based line of its first `id:` (an id written in flow style is not found,
    and its case gets line 0)."""
    found: dict[str, int] = {}
    for number, text in enumerate(lines):
        match = _ID_LINE.match(text)
        if match:
            found.setdefault(match["id"], number)
    return found


class CaseIdRegistry:
    """Cases collected so far in this session; an id used by two files is an error."""

    def __init__(self):
        self._cases: dict[str, Case] = {}

    def register(self, case: Case) -> None:
        """Record `case`; CaseFileError if another file already defined its id."""
        first = self._cases.setdefault(case.id, case)
        if first.file != case.file:
            raise CaseFileError(
                f"{display_name(case.file, case.fixtures_root)}: case {case.id}: id already used in "
                f"{display_name(first.file, case.fixtures_root)}"
            )
