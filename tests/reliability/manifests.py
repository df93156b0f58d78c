"""Manifests for the reliability tools: the valid fixture templates (fixtures/templates/manifests/, the
complete ones, rendered by the engine's template reader and filled in for the primary account) and
broken variants drawn at random (syntax errors, wrong types, oversized, deeply nested, alias bombs,
object-construction tags, duplicate keys, control characters, hostile text).
"""
from __future__ import annotations

import random
from pathlib import Path

from conformance.cases.manifest_templates import ManifestTemplates
from tests.reliability.signing import PRIMARY

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# The complete manifests among the templates (the others are fragments such as a return address).
MANIFEST_TEMPLATES = ("s3-import", "s3-import-international", "s3-export", "ebs-import", "glacier-import")
TEMPLATE_VALUES = {
    "${primary.access_key_id}": PRIMARY[0],
    "${bucket.primary}": "amzn-s3-demo-bucket",
    "${bucket.log}": "amzn-s3-demo-logs",
    "${bucket.other_region}": "amzn-s3-demo-bucket-eu",
    "${bucket.foreign}": "amzn-s3-demo-bucket-secondary",
    "${bucket.missing}": "amzn-s3-demo-bucket-missing",
}
HOSTILE_TEXT = ["<&]]>", "]]>", "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>", "\u202e\u0000",
                "\ud7ff\ue000\U0001f600", "'; DROP TABLE jobs; --", "%s%n%x", "\\x00", "A" * 5000, "P.O. Box 12"]


def _templated(text: str) -> str:
    for name, value in TEMPLATE_VALUES.items():
        text = text.replace(name, value)
    return text


_TEMPLATES = ManifestTemplates(FIXTURES)
VALID_MANIFESTS = {name: _templated(_TEMPLATES.render({"template": name})) for name in MANIFEST_TEMPLATES}


def job_type_of(manifest_name: str) -> str:
    return "Export" if "export" in manifest_name else "Import"


def valid_manifest(rng: random.Random) -> tuple[str, str]:
    """(JobType, manifest text) of a fixture manifest chosen at random."""
    name = rng.choice(sorted(VALID_MANIFESTS))
    return job_type_of(name), VALID_MANIFESTS[name]


def broken_manifest(rng: random.Random) -> str:
    """A manifest broken one of many ways; each must be refused with a 4xx, never a 5xx."""
    _, base = valid_manifest(rng)
    lines = base.splitlines()
    kind = rng.randrange(14)
    if kind == 0:  # YAML syntax error
        index = rng.randrange(len(lines))
        lines[index] = lines[index] + rng.choice([" [unclosed", ": : :", " {a: ", " \"open", " *noanchor", " |\n\t"])
        return "\n".join(lines)
    if kind == 1:  # a value of the wrong type
        index = rng.randrange(len(lines))
        key = lines[index].split(":", 1)[0]
        wrong = rng.choice(["[1, 2, 3]", "{a: b}", "123456789012345678901234567890", "-1.5e309", "null", "true",
                            "!!binary aGVsbG8=", "2001-12-14t21:59:43.10-05:00", "[]", "{}", "~"])
        lines[index] = f"{key}: {wrong}"
        return "\n".join(lines)
    if kind == 2:  # huge: past the manifest limit, sometimes past the body limit
        size = rng.choice([70_000, 300_000, 1_200_000])
        return base + "\nnotes: " + "x" * size
    if kind == 3:  # deep nesting, flow and block style
        depth = rng.choice([100, 1000, 20_000])
        return rng.choice(["[" * depth + "]" * depth, "a: " + "{b: " * depth + "c" + "}" * depth,
                           "".join(f"{'  ' * level}k{level}:\n" for level in range(min(depth, 2000))) + "x"])
    if kind == 4:  # billion laughs
        levels = rng.randint(3, 10)
        bomb = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
        return base + "\n" + "\n".join(bomb) + f"\nbomb: *a{levels - 1}\n"
    if kind == 5:  # anchors and aliases where scalars are expected
        return base.replace("deviceId:", "deviceId: &d", 1) + "\nreturnAddress2: *d\nname: *d\n"
    if kind == 6:  # object-construction tags
        tag = rng.choice(["!!python/object/apply:os.system ['true']", "!!python/name:os.system",
                          "!!python/object/new:tuple [[1]]", "!!set {a, b}", "!custom x", "!!omap [a: 1]"])
        return base + f"\ninjected: {tag}\n"
    if kind == 7:  # a duplicated key
        index = rng.randrange(len(lines))
        lines.insert(index, lines[index])
        return "\n".join(lines)
    if kind == 8:  # control characters and tabs
        index = rng.randrange(len(lines))
        lines[index] = "\t" + lines[index] + rng.choice(["\x00", "\x07", "\x1b[31m", "\x7f", "\ufffe"])
        return "\n".join(lines)
    if kind == 9:  # a value replaced by hostile text
        index = rng.randrange(len(lines))
        key = lines[index].split(":", 1)[0]
        return "\n".join([*lines[:index], f"{key}: {rng.choice(HOSTILE_TEXT)!r}", *lines[index + 1:]])
    if kind == 10:  # a line removed (missing field)
        del lines[rng.randrange(len(lines))]
        return "\n".join(lines)
    if kind == 11:  # not a mapping
        return rng.choice(["just a scalar", "- a\n- b", "", "---\n...\n", "--- a\n--- b\n", "null", "42"])
    if kind == 12:  # multiple documents
        return base + "\n---\n" + base
    return "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(1, 400)))
