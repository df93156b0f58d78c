"""Rewrite case files into the compact case format (docs/case-format.md), proving each case unchanged.

    python tools/convert_fixtures.py [files...]      (default: every case file under fixtures/)

For each file it: turns `manifest: manifests/<name>.yaml` into `{template: <name>}`; replaces inline
`manifest_text` by the template (`set`/`add`/`unset`) that reproduces it with the fewest changes; names
the common XPath checks; replaces the common setup steps by shared steps (`use:`); lifts what every case
of the file shares into `defaults:`; folds runs of cases that differ only in a few values into a family
(`parameters:`); and writes the file in the one style (`conformance.cases.format`).

Every rewritten case is loaded and compared with the original (tools/case_snapshot.canonical_case: every
field, manifests as parsed YAML node trees); a case that would change is kept as it was. Files that are
about manifest syntax keep their inline manifests. The script is idempotent: run it again after a merge.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))

from case_snapshot import canonical_case, manifest_tree  # noqa: E402
from families import fold_families  # noqa: E402

from conformance.cases.datafiles import RawScalar, load_yaml  # noqa: E402
from conformance.cases.expansion import FileExpander, shared_definitions  # noqa: E402
from conformance.cases.format import case_files, format_data  # noqa: E402
from conformance.cases.loader import CaseFileError, cases_from_data  # noqa: E402

FIXTURES = REPO / "fixtures"
SYNTAX_FILES = {"manifest/syntax.yaml"}
MANIFEST_TEMPLATES = ("s3-import", "s3-import-minimal", "s3-import-customs", "s3-import-international",
                      "s3-export", "s3-export-minimal", "ebs-import", "ebs-import-minimal", "glacier-import",
                      "glacier-import-minimal")
DEFAULT_KEYS = ("operation", "level", "source", "tags", "auth", "requires", "decision", "example")
SHARED = shared_definitions(FIXTURES)
RESOLVER = yaml.resolver.Resolver()


# --- manifests ---------------------------------------------------------------------------------------

def _value(node: yaml.Node) -> Any:
    """A manifest node as a `set` value that the engine writes back identically, or None."""
    if isinstance(node, yaml.MappingNode):
        items = {}
        for key, value in node.value:
            converted = _value(value)
            if not isinstance(key, yaml.ScalarNode) or converted is None or key.value in items:
                return None
            items[key.value] = converted
        return items
    if isinstance(node, yaml.SequenceNode):
        items = [_value(item) for item in node.value]
        return None if any(item is None for item in items) else items
    tag, text = node.tag.rsplit(":", 1)[-1], node.value
    if tag == "str":
        return text
    if tag == "int" and text.lstrip("-").isdigit() and text == str(int(text)):
        return int(text)
    if tag == "bool" and text in ("true", "false"):
        return text == "true"
    if node.style is None and RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == node.tag:
        return RawScalar(text)
    return None


def _child(node: yaml.Node, key: str) -> yaml.Node | None:
    return next((value for name, value in node.value if name.value == key), None)


def _diff(template: yaml.Node, target: yaml.Node, path: str, spec: dict) -> bool:
    if isinstance(template, yaml.MappingNode) and isinstance(target, yaml.MappingNode):
        target_keys = [name.value for name, _ in target.value]
        for name, _ in template.value:
            if name.value not in target_keys:
                spec.setdefault("unset", []).append(path + name.value)
        for name, value in target.value:
            known = _child(template, name.value)
            if known is None:
                converted = _value(value)
                if converted is None:
                    return False
                spec.setdefault("add", {})[path + name.value] = converted
            elif not _diff(known, value, f"{path}{name.value}.", spec):
                return False
        return True
    if (isinstance(template, yaml.SequenceNode) and isinstance(target, yaml.SequenceNode)
            and len(template.value) == len(target.value)):
        return all(_diff(item, other, f"{path}{index}.", spec)
                   for index, (item, other) in enumerate(zip(template.value, target.value, strict=True)))
    if (isinstance(template, yaml.ScalarNode) and isinstance(target, yaml.ScalarNode)
            and (template.tag, template.value) == (target.tag, target.value)):
        return True
    converted = _value(target)
    if converted is None or not path:
        return False
    spec.setdefault("set", {})[path.rstrip(".")] = converted
    return True


def manifest_spec(text: str) -> dict | None:
    """The template spec with the fewest changes that renders to the same manifest, or None."""
    if "#" in text:  # a comment is part of what the case sends (and may expect echoed): keep the text
        return None
    try:
        target = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(target, yaml.MappingNode):
        return None
    wanted = manifest_tree(text)
    best, best_cost = None, None
    for name in MANIFEST_TEMPLATES:
        spec: dict = {"template": name}
        template = yaml.compose(SHARED.templates.render({"template": name}), Loader=yaml.SafeLoader)
        if not _diff(template, target, "", spec):
            continue
        if manifest_tree(SHARED.templates.render(spec)) != wanted:
            continue
        cost = len(json.dumps(spec))
        if best_cost is None or cost < best_cost:
            best, best_cost = spec, cost
    return best


# --- checks and shared steps -------------------------------------------------------------------------

def _named_checks(expect: dict) -> dict:
    if "one_of" in expect:
        return {**expect, "one_of": [_named_checks(alternative) for alternative in expect["one_of"]]}
    xpath = expect.get("xpath")
    if not xpath:
        return expect
    names = {json.dumps(check, sort_keys=True): name for name, check in SHARED.checks.items()}
    leading, rest = [], list(xpath)
    while rest and json.dumps(rest[0], sort_keys=True) in names:
        leading.append(names[json.dumps(rest.pop(0), sort_keys=True)])
    rest = [{"check": names[json.dumps(item, sort_keys=True)]} if json.dumps(item, sort_keys=True) in names
            else item for item in rest]
    result = {key: value for key, value in expect.items() if key != "xpath"}
    if leading:
        result["checks"] = leading
    if rest:
        result["xpath"] = rest
    return result


def _expanded(steps: list) -> str:
    return json.dumps(FileExpander(SHARED).steps(steps, [], 0), sort_keys=True, default=str)


def _with(name: str, given: dict) -> dict:
    defaults = SHARED.steps[name].get("with", {})
    return {key: value for key, value in given.items() if key not in defaults or defaults[key] != value}


def _shared_step(step: dict) -> dict:
    """`{use: ..., with: ...}` standing for `step`, or the step itself."""
    if "control" in step:
        control = step["control"]
        if control.get("call") == "set_state" and list(control) == ["call", "job", "progress_code",
                                                                      "location_code"]:
            candidate = {"use": "move_job", "with": _with("move_job", {
                key: control[key] for key in ("job", "progress_code", "location_code")})}
            if not candidate["with"]:
                del candidate["with"]
            if _expanded([candidate]) == _expanded([step]):
                return candidate
        return step
    request = step.get("request", {})
    if step.get("operation") != "CreateJob" or len(step.get("save", {})) != 1 or set(request) != {
            "params", "manifest"} or "state" in step:
        return step
    given = {"job_type": request["params"].get("JobType"), "manifest": request["manifest"],
             "save_as": next(iter(step["save"]))}
    for name in ("create_job", "create_job_status_only", "create_job_as"):
        extra = {"as": step["as"]} if name == "create_job_as" and "as" in step else {}
        candidate = {"use": name, "with": _with(name, {**given, **extra})}
        if not candidate["with"]:
            del candidate["with"]
        try:
            if _expanded([candidate]) == _expanded([step]):
                return candidate
        except Exception:  # noqa: BLE001 - a candidate that does not expand is simply not this step
            continue
    return step


def _create_and_cancel(steps: list) -> list:
    result: list = []
    for step in steps:
        if result and result[-1].get("use") == "create_job" and step.get("operation") == "CancelJob":
            candidate = {"use": "create_and_cancel_job", "with": _with("create_and_cancel_job",
                                                                      result[-1].get("with", {}))}
            if not candidate["with"]:
                del candidate["with"]
            if _expanded([candidate]) == _expanded([result[-1], step]):
                result[-1] = candidate
                continue
        result.append(step)
    return result


def _param_set(request: dict) -> dict:
    """`request` with trailing parameters equal to a named parameter set replaced by `param_set:`."""
    params = request.get("params")
    if not isinstance(params, dict) or "param_set" in request:
        return request
    items = [(key, value) for key, value in params.items()]
    for name in SHARED.param_sets:
        values = FileExpander(SHARED).param_set(name, [])
        names = list(values)
        for start in range(len(items) - len(names) + 1):
            block = items[start:start + len(names)]
            if [key for key, _ in block] != names:
                continue
            changed = {key: value for key, value in block if str(value) != values[key]}
            added = dict(items[start + len(names):])
            if len(changed) > 2:
                continue
            spec: Any = {"name": name, **({"set": changed} if changed else {}), **({"add": added} if added else {})}
            if spec == {"name": name}:
                spec = name
            return _insert_after_params(request, dict(items[:start]), spec)
    return request


def _insert_after_params(request: dict, params: dict, name: Any) -> dict:
    result = {}
    for key, value in request.items():
        result[key] = params if key == "params" else value
        if key == "params":
            result["param_set"] = name
    return result


def convert_steps(steps: list, manifests: bool) -> list:
    converted = []
    for step in steps:
        step = dict(step)
        request = step.get("request")
        if isinstance(request, dict):
            request = dict(request)
            if isinstance(request.get("manifest"), str) and request["manifest"].startswith("manifests/"):
                request["manifest"] = {"template": Path(request["manifest"]).stem}
            request = _param_set(request)
            if manifests and "manifest_text" in request:
                spec = manifest_spec(request["manifest_text"])
                if spec is not None:
                    request = {("manifest" if key == "manifest_text" else key):
                               (spec if key == "manifest_text" else value) for key, value in request.items()}
            step["request"] = request
        if isinstance(step.get("expect"), dict) and "control" not in step and "fetch" not in step:
            step["expect"] = _named_checks(step["expect"])
        if "state" in step:
            step["state"] = convert_steps(step["state"], manifests)
        converted.append(_shared_step(step))
    return _create_and_cancel(converted)


# --- files -------------------------------------------------------------------------------------------

def _canonical(data: dict, path: Path) -> dict[str, dict] | None:
    try:
        return {case.id: canonical_case(case) for case in cases_from_data(data, path, FIXTURES)}
    except CaseFileError as error:
        print(f"  (not loadable: {error})", file=sys.stderr)
        return None


def _legacy(case: dict) -> dict:
    """A case with file references into the old fixtures/manifests/ made template references."""
    return {**case, **{key: _legacy_steps(case[key]) for key in ("steps", "teardown") if key in case}}


def _legacy_steps(steps: list) -> list:
    result = []
    for step in steps:
        step = dict(step)
        request = step.get("request")
        if isinstance(request, dict) and isinstance(request.get("manifest"), str) \
                and request["manifest"].startswith("manifests/"):
            step["request"] = {**request, "manifest": {"template": Path(request["manifest"]).stem}}
        if "state" in step:
            step["state"] = _legacy_steps(step["state"])
        result.append(step)
    return result


def _with_defaults(data: dict) -> dict:
    cases = data["cases"]
    defaults = dict(data.get("defaults", {}))
    for key in DEFAULT_KEYS:
        if key in defaults or not all(key in case for case in cases):
            continue
        counts: dict[str, int] = {}
        for case in cases:
            counts[json.dumps(case[key])] = counts.get(json.dumps(case[key]), 0) + 1
        common, count = max(counts.items(), key=lambda item: item[1])
        if count >= 2:
            defaults[key] = json.loads(common)
    if not defaults:
        return data
    stripped = [{key: value for key, value in case.items()
                 if not (key in defaults and json.dumps(value) == json.dumps(defaults[key]))} for case in cases]
    return {"concern": data["concern"], "defaults": defaults, "cases": stripped}


def convert_file(path: Path) -> str:
    """The converted text of one case file."""
    data = load_yaml(path, exact_scalars=True)
    relative = path.relative_to(FIXTURES).as_posix()
    manifests = relative not in SYNTAX_FILES
    legacy = {**data, "cases": [_legacy(case) for case in data["cases"]]}
    original = _canonical(legacy, path)
    if original is None:
        return format_data(legacy)
    cases = []
    for case in legacy["cases"]:
        converted = {**case, **{key: convert_steps(case[key], manifests) for key in ("steps", "teardown")
                                if key in case}}
        same = _canonical({**data, "cases": [converted]}, path)
        if same is None or any(original.get(key) != value for key, value in same.items()):
            print(f"  {relative}: {case['id']}: kept as written (the rewrite would change it)", file=sys.stderr)
            converted = case
        cases.append(converted)
    def accept(run: list[dict], folded: dict) -> bool:
        expanded = _canonical({**data, "cases": [folded]}, path)
        return expanded is not None and expanded == {case["id"]: original[case["id"]] for case in run}

    result = fold_families({**data, "cases": cases}, accept)
    candidate = _with_defaults(result)
    if _canonical(candidate, path) == original:
        result = candidate
    else:
        print(f"  {relative}: no defaults (they would change a case)", file=sys.stderr)
    if _canonical(result, path) != original:
        raise SystemExit(f"{relative}: the rewrite changes a case; nothing written")
    return format_data(result)


def main(argv: list[str]) -> int:
    files = [Path(arg).resolve() for arg in argv] or case_files(FIXTURES)
    for path in files:
        text = convert_file(path)
        if text != path.read_text(encoding="utf-8"):
            path.write_text(text, encoding="utf-8")
            print(f"rewrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
