"""Manifest templates: a named manifest under `fixtures/templates/manifests/`, changed by a step (contract §3).

A step writes `manifest: {template: s3-import, set: {deviceId: "NEW-${unique}"}, unset: [returnAddress.city]}`.
The template is a manifest file; inside it, a mapping `{template: <name>, set: ...}` stands for another
template (so the canonical return address is written once, in `return-address.yaml`). Paths are dotted keys
with list indexes (`operations.0.region`).

- `set` changes values that exist in the template (a path that does not exist is an error, so a typo
  cannot add a key); `add` adds keys the template lacks, at the end of their mapping; `unset` removes.
- Typing: a string stays a string on the wire (quoted when a YAML reader would take it for something else:
  `"49382"` is sent as `'49382'`); an unquoted integer or `true`/`false` in the case file is sent as that
  YAML integer or boolean; a value tagged `!raw` (`eraseDevice: !raw no`, `manifestVersion: !raw 1.0`)
  is written into the manifest exactly as spelled, unquoted. Mappings and lists follow the same rules.

The result is YAML text: the template's key order and scalar spellings are kept (PyYAML nodes are
re-serialized), `${name}` references stay for the runner to render.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from conformance.cases.datafiles import RawScalar

TEMPLATES_DIR = Path("templates") / "manifests"
_STR = "tag:yaml.org,2002:str"
_INDEX = re.compile(r"^(?:0|[1-9][0-9]*)$")
_C_DUMPER = getattr(yaml, "CSafeDumper", None)
_LONGEST_PLAIN_KEY = 120  # the two emitters switch to `? key` at different lengths (128 chars or bytes)


def _plain_ascii(node: yaml.Node) -> bool:
    """True when every scalar of `node` is printable ASCII and every key under 120 characters."""
    if isinstance(node, yaml.ScalarNode):
        return node.value.isascii() and node.value.isprintable()
    if isinstance(node, yaml.SequenceNode):
        return all(_plain_ascii(item) for item in node.value)
    if isinstance(node, yaml.MappingNode):
        return all(len(getattr(key, "value", "")) < _LONGEST_PLAIN_KEY and _plain_ascii(key) and _plain_ascii(value)
                   for key, value in node.value)
    return False


def serialize_manifest(node: yaml.Node) -> str:
    """The YAML text of a node tree as PyYAML's pure-Python emitter writes it.

    LibYAML's emitter (about 6x faster) writes the same text for printable ASCII with short keys,
    which is nearly every manifest; beyond that it differs (it escapes characters outside the BMP,
    writes U+0085 as `\\N`, breaks long keys elsewhere), so anything else takes the pure-Python one.
    tests/engine/test_engine_manifest_emitters.py holds both to the same text.
    """
    dumper = _C_DUMPER if _C_DUMPER is not None and _plain_ascii(node) else yaml.SafeDumper
    return yaml.serialize(node, Dumper=dumper, allow_unicode=True, width=1_000_000)


class ManifestTemplateError(Exception):
    """A template spec that cannot be rendered; `field` names the offending key (`set.returnAddress.cty`)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


_RESOLVER = yaml.resolver.Resolver()


def _resolve_tag(text: str) -> str:
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))


def _spec(node: yaml.Node) -> Any:
    """A nested spec inside a template file as data; every plain scalar is `!raw`, spelled as written."""
    if isinstance(node, yaml.MappingNode):
        return {key.value: _spec(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_spec(item) for item in node.value]
    return RawScalar(node.value) if getattr(node, "style", None) is None else node.value


def value_node(value: Any) -> yaml.Node:
    """A case-file value as a YAML node, typed as the module docstring says."""
    if isinstance(value, RawScalar):
        return yaml.ScalarNode(_resolve_tag(str(value)), str(value))
    if isinstance(value, bool):
        return yaml.ScalarNode("tag:yaml.org,2002:bool", "true" if value else "false")
    if isinstance(value, int):
        return yaml.ScalarNode("tag:yaml.org,2002:int", str(value))
    if isinstance(value, str):
        return yaml.ScalarNode(_STR, value)
    if value is None:
        return yaml.ScalarNode("tag:yaml.org,2002:null", "")
    if isinstance(value, dict):
        return yaml.MappingNode("tag:yaml.org,2002:map",
                                [(yaml.ScalarNode(_STR, str(key)), value_node(item)) for key, item in value.items()])
    if isinstance(value, list):
        return yaml.SequenceNode("tag:yaml.org,2002:seq", [value_node(item) for item in value])
    raise TypeError(f"cannot write {value!r} into a manifest")


class ManifestTemplates:
    """The templates of one fixtures directory, read once; `render` turns a spec into manifest text."""

    def __init__(self, fixtures_root: Path):
        self.directory = fixtures_root / TEMPLATES_DIR
        self._nodes: dict[str, yaml.Node] = {}

    def names(self) -> list[str]:
        """Every template name (file stem), sorted."""
        return sorted(path.stem for path in self.directory.glob("*.yaml")) if self.directory.is_dir() else []

    def _template(self, name: Any, field: str) -> yaml.Node:
        if name not in self._nodes:
            path = self.directory / f"{name}.yaml"
            if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9-]+", name) or not path.is_file():
                known = ", ".join(self.names()) or "none"
                raise ManifestTemplateError(field, f"no manifest template {name!r} (known: {known})")
            try:
                node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
            except yaml.YAMLError as error:
                raise ManifestTemplateError(field, f"template {name!r} is not valid YAML: {error}") from None
            if node is None:
                raise ManifestTemplateError(field, f"template {name!r} is empty")
            self._nodes[name] = node
        return self._nodes[name]

    def tree(self, spec: dict, field: str = "manifest", depth: int = 0) -> yaml.Node:
        """The node tree of a spec `{template, set, add, unset}`, nested templates expanded."""
        if depth > 8:
            raise ManifestTemplateError(field, "templates nest more than 8 deep (a template includes itself?)")
        node = self._copy(self._template(spec.get("template"), f"{field}.template"), field, depth)
        for path, value in spec.get("set", {}).items():
            parent, key = self._parent(node, path, f"{field}.set.{path}")
            self._replace(parent, key, self._copy(value_node(value), field, depth), f"{field}.set.{path}",
                          must_exist=True)
        for path, value in spec.get("add", {}).items():
            parent, key = self._parent(node, path, f"{field}.add.{path}")
            self._replace(parent, key, self._copy(value_node(value), field, depth), f"{field}.add.{path}",
                          must_exist=False)
        for path in spec.get("unset", ()):
            parent, key = self._parent(node, path, f"{field}.unset.{path}")
            self._remove(parent, key, f"{field}.unset.{path}")
        return node

    def render(self, spec: dict, field: str = "manifest") -> str:
        """The manifest text of a spec, the template's layout and spellings kept."""
        return serialize_manifest(self.tree(spec, field))

    def values(self, spec: dict) -> dict:
        """The top-level scalars of a rendered spec as the text a reader sees (`91011-1111`, `yes`)."""
        node = self.tree(spec)
        if not isinstance(node, yaml.MappingNode):
            raise ManifestTemplateError("template", "is not a mapping")
        return {key.value: value.value for key, value in node.value if isinstance(value, yaml.ScalarNode)}

    def _copy(self, node: yaml.Node, field: str, depth: int) -> yaml.Node:
        if isinstance(node, yaml.MappingNode):
            keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
            if "template" in keys and set(keys) <= {"template", "set", "add", "unset"}:
                return self.tree(_spec(node), field, depth + 1)
            return yaml.MappingNode(node.tag, [(key, self._copy(value, field, depth)) for key, value in node.value])
        if isinstance(node, yaml.SequenceNode):
            return yaml.SequenceNode(node.tag, [self._copy(item, field, depth) for item in node.value])
        return yaml.ScalarNode(node.tag, node.value, style=getattr(node, "style", None))

    @staticmethod
    def _child(node: yaml.Node, key: str) -> yaml.Node | None:
        if isinstance(node, yaml.MappingNode):
            return next((value for name, value in node.value if name.value == key), None)
        if isinstance(node, yaml.SequenceNode) and _INDEX.match(key) and int(key) < len(node.value):
            return node.value[int(key)]
        return None

    def _parent(self, root: yaml.Node, path: Any, field: str) -> tuple[yaml.Node, str]:
        parts = str(path).split(".")
        node = root
        for depth, part in enumerate(parts[:-1]):
            child = self._child(node, part)
            if child is None:
                raise ManifestTemplateError(field, f"no {'.'.join(parts[:depth + 1])!r} in the template")
            node = child
        if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            raise ManifestTemplateError(field, f"{'.'.join(parts[:-1])!r} holds a scalar, not keys")
        return node, parts[-1]

    def _replace(self, parent: yaml.Node, key: str, value: yaml.Node, field: str, must_exist: bool) -> None:
        exists = self._child(parent, key) is not None
        if must_exist and not exists:
            raise ManifestTemplateError(field, f"no {field.split('.set.', 1)[1]!r} in the template "
                                               "(`add:` adds a key the template lacks)")
        if not must_exist and exists:
            raise ManifestTemplateError(field, "the template already has it (`set:` changes a value)")
        if isinstance(parent, yaml.SequenceNode):
            if not exists:
                raise ManifestTemplateError(field, f"list index {key} is out of range")
            parent.value[int(key)] = value
            return
        entries: list = parent.value
        for position, (name, _) in enumerate(entries):
            if name.value == key:
                entries[position] = (name, value)
                return
        entries.append((yaml.ScalarNode(_STR, key), value))

    def _remove(self, parent: yaml.Node, key: str, field: str) -> None:
        if self._child(parent, key) is None:
            raise ManifestTemplateError(field, f"no {field.split('.unset.', 1)[1]!r} in the template")
        if isinstance(parent, yaml.SequenceNode):
            del parent.value[int(key)]
        else:
            parent.value[:] = [(name, value) for name, value in parent.value if name.value != key]

