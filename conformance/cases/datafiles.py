"""Reading the suite's own data files: safe YAML and JSON-schema validation with readable errors.

Used for case files, the target config and the deviations file. YAML is loaded with the safe loader,
and a mapping that repeats a key is an error (PyYAML would silently keep the last value). Case files
use exact scalars: only `true`/`false` are booleans and only plain decimal integers are numbers, so
`Version: 2010-06-01`, `MaxJobs: 010`, `APIVersion: 1.10` or `eraseDevice: yes` keep their spelling
as strings. Schema errors are reported as `field.path[0].name: message`, the most relevant first.

The schemas are draft-07. Validation runs twice as fast as it needs to be readable: each schema is
compiled once per process with fastjsonschema (code generated from the schema, about 8x faster than
jsonschema on a valid document, which is what the suite collects on every run), and only a document
it refuses goes through jsonschema, whose `best_match` gives the message. jsonschema stays the
authority: when the two disagree on a refused document, jsonschema's verdict (no error) stands, and
tests/engine/test_engine_schema_agreement.py checks that both refuse every bad document of the tests.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema
import yaml

if TYPE_CHECKING:
    import jsonschema

_MAX_MESSAGE = 300


class DataFileError(Exception):
    """A data file that cannot be read, parsed or validated; the message names file and field."""


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeySafeLoader(_SAFE_LOADER):  # type: ignore[valid-type,misc]  # LibYAML loader when installed
    """The safe loader (LibYAML's when available) rejecting a mapping that repeats a key."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    f"found duplicate key {key!r}", key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _ExactScalarLoader(_UniqueKeySafeLoader):
    """The unique-key loader with YAML 1.2-like plain scalars: no dates, floats or yes/no booleans."""


_ExactScalarLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                       "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in _SAFE_LOADER.yaml_implicit_resolvers.items()
}
_ExactScalarLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_ExactScalarLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)


class RawScalar(str):
    """A case-file scalar tagged `!raw`: written into a manifest exactly as spelled (manifest_templates)."""

    __slots__ = ()


_ExactScalarLoader.add_constructor("!raw", lambda loader, node: RawScalar(loader.construct_scalar(node)))


def load_yaml(path: Path, exact_scalars: bool = False) -> Any:
    """Parse a YAML file safely; duplicate keys and syntax errors raise DataFileError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError(f"{path}: cannot read: {error}") from None
    try:
        return yaml.load(text, Loader=_ExactScalarLoader if exact_scalars else _UniqueKeySafeLoader)
    except yaml.YAMLError as error:
        detail = " ".join(str(error).replace('"<unicode string>", ', "").split())
        raise DataFileError(f"{path}: not valid YAML: {detail}") from None


@cache
def schema_validator(schema_path: Path) -> jsonschema.protocols.Validator:
    """The validator for a JSON schema shipped with the package (each beside the module it serves)."""
    import jsonschema  # about 0.1 s to import: only once a document is refused

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def format_path(path) -> str:
    """`cases[0].steps[1].expect` from a jsonschema path (a sequence of keys and indexes)."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


@cache
def fast_validator(schema_path: Path) -> Callable[[Any], Any]:
    """The schema compiled to Python code by fastjsonschema (raises JsonSchemaException on a refusal)."""
    return fastjsonschema.compile(json.loads(schema_path.read_text(encoding="utf-8")))


def first_schema_error(schema_path: Path, instance: Any) -> jsonschema.ValidationError | None:
    """The most relevant schema violation of `instance` against the schema at `schema_path`, or None."""
    try:
        fast_validator(schema_path)(instance)
    except fastjsonschema.JsonSchemaException:
        from jsonschema.exceptions import best_match

        return best_match(schema_validator(schema_path).iter_errors(instance))
    return None


def describe_schema_error(error: jsonschema.ValidationError) -> str:
    """`field.path: message`, with the message shortened to one readable line."""
    if error.validator == "not" and "required" in error.validator_value:
        message = f"cannot be used together: {', '.join(error.validator_value['required'])}"
    else:
        message = " ".join(error.message.split())
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    return f"{format_path(error.absolute_path)}: {message}"
