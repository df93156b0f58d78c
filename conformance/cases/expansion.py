"""Expanding an authored case file into plain cases (docs/case-format.md, contract §3).

What a case file may say once and use many times is expanded here, before the cases are built:

- `defaults:` at the top of a file: keys every case of the file shares (a case overrides what differs).
- `parameters:` on a case: a family, one case per row; `${param.<name>}` in any string (the id included,
  which must name its row) is replaced by the row's value, keeping the value's type when the string is
  nothing but the reference.
- `- use: <name>` with `with: {...}`: a shared step of `fixtures/templates/steps.yaml`; its body refers to
  its parameters as `${with.<name>}`.
- `checks: [<name>, ...]` in an expectation and `{check: <name>}` in an `xpath:` list: named XPath checks of
  `fixtures/templates/checks.yaml`; `checks:` come first, before the case's own `xpath:` entries.
- `manifest: {template: ..., set: ..., add: ..., unset: ...}`: a manifest template, rendered into
  `manifest_text` (`manifest_templates`).
- `param_set: <name>` in a request: the named parameters of `fixtures/templates/params.yaml`, appended
  after `params:`; a set takes its values from a manifest template (`label-address`: the canonical
  return address as GetShippingLabel's address parameters).

The result is the plain form that `loader` builds cases from; every error names the field it is about.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from conformance.cases.datafiles import DataFileError, format_path, load_yaml
from conformance.cases.manifest_templates import ManifestTemplateError, ManifestTemplates

SHARED_STEPS = Path("templates") / "steps.yaml"
NAMED_CHECKS = Path("templates") / "checks.yaml"
PARAM_SETS = Path("templates") / "params.yaml"
REQUIRED_CASE_KEYS = ("operation", "level", "source", "doc")
_MAX_USE_DEPTH = 4


class ExpansionError(Exception):
    """An authored construct that cannot be expanded; `parts` is the field path inside the case."""

    def __init__(self, parts: list, message: str, case_id: str | None = None):
        super().__init__(message)
        self.parts = parts
        self.case_id = case_id
        self.index: int | None = None


@dataclass
class Shared:
    """What the case files of one fixtures directory share: templates, shared steps and named checks."""

    root: Path
    templates: ManifestTemplates
    steps: dict[str, dict] = field(default_factory=dict)
    checks: dict[str, dict] = field(default_factory=dict)
    param_sets: dict[str, dict] = field(default_factory=dict)


def _read_named(path: Path, key: str) -> dict:
    if not path.is_file():
        return {}
    try:
        data = load_yaml(path, exact_scalars=True)
    except DataFileError as error:
        raise DataFileError(str(error)) from None
    table = data.get(key) if isinstance(data, dict) else None
    if not isinstance(table, dict):
        raise DataFileError(f"{path}: {key}: must be a mapping of names")
    return table


@cache
def shared_definitions(fixtures_root: Path) -> Shared:
    """The shared definitions under `fixtures_root/templates/`, read once per directory."""
    shared = Shared(root=fixtures_root, templates=ManifestTemplates(fixtures_root),
                    steps=_read_named(fixtures_root / SHARED_STEPS, "steps"),
                    checks=_read_named(fixtures_root / NAMED_CHECKS, "checks"),
                    param_sets=_read_named(fixtures_root / PARAM_SETS, "param_sets"))
    for name, definition in shared.steps.items():
        if not isinstance(definition, dict) or not isinstance(definition.get("steps"), list):
            raise DataFileError(f"{fixtures_root / SHARED_STEPS}: steps.{name}: needs a `steps:` list")
    return shared


def substitute(value: Any, prefix: str, table: dict, parts: list, what: str) -> Any:
    """`value` with every `${<prefix>.<name>}` replaced from `table` (keys of mappings included)."""
    pattern = re.compile(r"\$\{" + prefix + r"\.([A-Za-z_][A-Za-z0-9_]*)\}")

    def lookup(name: str) -> Any:
        if name not in table:
            known = ", ".join(sorted(table)) or "none"
            raise ExpansionError(parts, f"${{{prefix}.{name}}} is not given by {what} (given: {known})")
        return table[name]

    if isinstance(value, str):
        whole = pattern.fullmatch(value)
        if whole:
            return lookup(whole.group(1))
        return pattern.sub(lambda match: _text(lookup(match.group(1))), value)
    if isinstance(value, list):
        return [substitute(item, prefix, table, [*parts, index], what) for index, item in enumerate(value)]
    if isinstance(value, dict):
        return {substitute(key, prefix, table, parts, what): substitute(item, prefix, table, [*parts, key], what)
                for key, item in value.items()}
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class FileExpander:
    """Expands the cases of one authored file against the shared definitions."""

    def __init__(self, shared: Shared):
        self.shared = shared

    def cases(self, data: dict) -> list[tuple[int, dict]]:
        """(authored index, plain case) for every case, families expanded into their rows."""
        defaults = data.get("defaults", {})
        expanded: list[tuple[int, dict]] = []
        for index, raw in enumerate(data["cases"]):
            try:
                expanded.extend((index, case) for case in self.family(defaults, raw))
            except ExpansionError as error:
                error.index = index
                error.case_id = error.case_id or raw.get("id")
                raise
        return expanded

    def family(self, defaults: dict, raw: dict) -> list[dict]:
        """The plain cases of one authored case: itself, or one per row of its `parameters:`."""
        merged = {**defaults, **raw}
        rows = merged.pop("parameters", None)
        if rows is None:
            return [self.case(merged, [])]
        if "${param." not in merged["id"]:
            raise ExpansionError(["id"], "a family's id must name its row with ${param.<name>}")
        cases = []
        for row_index, row in enumerate(rows):
            row_id = str(substitute(merged["id"], "param", row, ["parameters", row_index], f"parameters[{row_index}]"))
            try:
                case = substitute(merged, "param", row, [], f"parameters[{row_index}]")
            except ExpansionError as error:
                raise ExpansionError(error.parts, str(error), row_id) from None
            cases.append(self.case(case, []))
        return cases

    def case(self, raw: dict, parts: list) -> dict:
        missing = [key for key in REQUIRED_CASE_KEYS if key not in raw]
        try:
            if missing:
                raise ExpansionError([missing[0]], "missing (write it on the case or in the file's defaults)")
            if raw["level"] == "inferred" and "decision" not in raw:
                raise ExpansionError(["decision"], "an inferred case states its decision")
            case = dict(raw)
            case["steps"] = self.steps(raw["steps"], ["steps"], 0)
            if "teardown" in raw:
                case["teardown"] = self.steps(raw["teardown"], ["teardown"], 0)
            return case
        except ExpansionError as error:
            raise ExpansionError([*parts, *error.parts], str(error), raw.get("id")) from None

    def steps(self, steps: list, parts: list, depth: int) -> list:
        result = []
        for position, step in enumerate(steps):
            if "use" in step:
                result.extend(self.use(step, [*parts, position], depth))
            else:
                result.append(self.step(step, [*parts, position]))
        return result

    def use(self, step: dict, parts: list, depth: int) -> list:
        name = step["use"]
        definition = self.shared.steps.get(name)
        if definition is None:
            known = ", ".join(sorted(self.shared.steps)) or "none"
            raise ExpansionError([*parts, "use"], f"no shared step {name!r} in {SHARED_STEPS} (known: {known})")
        if depth >= _MAX_USE_DEPTH:
            raise ExpansionError([*parts, "use"], "shared steps nest too deep (a step uses itself?)")
        given = step.get("with", {})
        declared = definition.get("with", {})
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise ExpansionError([*parts, "with", unknown[0]],
                                 f"shared step {name!r} takes no such parameter (takes: {', '.join(declared)})")
        body = substitute(definition["steps"], "with", {**declared, **given}, [*parts, "use"],
                          f"shared step {name!r}")
        return self.steps(body, parts, depth + 1)

    def step(self, step: dict, parts: list) -> dict:
        step = dict(step)
        if "request" in step and "param_set" in step["request"]:
            request = dict(step["request"])
            extra = self.param_set_values(request.pop("param_set"), [*parts, "request", "param_set"])
            params = request.get("params", {})
            request["params"] = ([*params, *map(list, extra.items())] if isinstance(params, list)
                                 else {**params, **extra})
            step["request"] = request
        if "request" in step and isinstance(step["request"].get("manifest"), dict):
            request = dict(step["request"])
            try:
                request["manifest_text"] = self.shared.templates.render(request.pop("manifest"))
            except ManifestTemplateError as error:
                raise ExpansionError([*parts, "request", "manifest", *error.field.split(".")[1:]],
                                     str(error)) from None
            step["request"] = request
        if isinstance(step.get("expect"), dict) and "control" not in step:
            step["expect"] = self.expect(step["expect"], [*parts, "expect"])
        if "state" in step:
            step["state"] = self.steps(step["state"], [*parts, "state"], 0)
        return step

    def expect(self, expect: dict, parts: list) -> dict:
        if "one_of" in expect:
            return {**expect, "one_of": [self.expect(alternative, [*parts, "one_of", index])
                                         for index, alternative in enumerate(expect["one_of"])]}
        expect = dict(expect)
        named = [self.check(name, [*parts, "checks", index]) for index, name in enumerate(expect.pop("checks", ()))]
        own = [self.check(item["check"], [*parts, "xpath", index]) if "check" in item else item
               for index, item in enumerate(expect.get("xpath", ()))]
        if named or own:
            expect["xpath"] = named + own
        return expect

    def param_set_values(self, spec: Any, parts: list) -> dict:
        """A `param_set:` value (a name, or `{name, set, add}`) as the parameters it appends."""
        if not isinstance(spec, dict):
            return self.param_set(spec, parts)
        values = self.param_set(spec["name"], [*parts, "name"])
        for key, value in spec.get("set", {}).items():
            if key not in values:
                raise ExpansionError([*parts, "set", key], f"parameter set {spec['name']!r} has no {key!r} "
                                                           "(`add:` appends a parameter)")
            values[key] = value
        for key, value in spec.get("add", {}).items():
            if key in values:
                raise ExpansionError([*parts, "add", key], "the parameter set already has it (`set:` changes it)")
            values[key] = value
        return values

    def param_set(self, name: Any, parts: list) -> dict:
        definition = self.shared.param_sets.get(name)
        if definition is None:
            known = ", ".join(sorted(self.shared.param_sets)) or "none"
            raise ExpansionError(parts, f"no parameter set {name!r} in {PARAM_SETS} (known: {known})")
        try:
            values = self.shared.templates.values({"template": definition["from_template"]})
        except ManifestTemplateError as error:
            raise ExpansionError(parts, f"parameter set {name!r}: {error}") from None
        missing = [key for key in definition["names"] if key not in values]
        if missing:
            raise ExpansionError(parts, f"parameter set {name!r}: template has no {missing[0]!r}")
        return {key: values[key] for key in definition["names"]}

    def check(self, name: Any, parts: list) -> dict:
        if name not in self.shared.checks:
            known = ", ".join(sorted(self.shared.checks)) or "none"
            raise ExpansionError(parts, f"no named check {name!r} in {NAMED_CHECKS} (known: {known})")
        return dict(self.shared.checks[name])


def expand(data: dict, fixtures_root: Path) -> list[tuple[int, dict]]:
    """(authored index, plain case) for every case of validated authored data."""
    return FileExpander(shared_definitions(fixtures_root)).cases(data)


def where(parts: list) -> str:
    """`steps[1].request.manifest.set` for the parts of an ExpansionError."""
    return format_path(parts)
