"""Manifest text is the pure-Python emitter's, whichever emitter `serialize_manifest` picked.

`serialize_manifest` hands plain-ASCII trees to LibYAML's emitter for speed; these documents are
chosen where the two emitters are known to differ (characters outside the BMP, U+0085, keys near
128 characters) and where they might (quotes, reserved words, numbers as text, empty values), and
every manifest template of the suite is checked as well.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conformance.cases.manifest_templates import serialize_manifest

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((REPO_ROOT / "fixtures" / "templates" / "manifests").glob("*.yaml"))
DOCUMENTS = {
    "emoji value": "name: Jane \U0001F600 Roe\n",
    "emoji quoted": "name: 'Jane \U0001F600'\n",
    "next line": "street1: \"1\\x85Main\"\n",
    "accented": "city: Montr\u00e9al\n",
    "key of 127": "k" * 127 + ": v\n",
    "key of 128": "k" * 128 + ": v\n",
    "key of 119": "k" * 119 + ": v\n",
    "emoji key": "\U0001F600" * 40 + ": v\n",
    "reserved words": "eraseDevice: yes\nnothing: null\nflag: 'true'\n",
    "numbers as text": "deviceId: '49382'\npostalCode: 02134\nversion: 2.0\n",
    "quotes": "name: \"O'Brien\"\nnote: 'say \"hi\"'\n",
    "empty": "bucket:\nlist: []\nmap: {}\n",
    "colon and hash": "street1: 'Suite #5: rear'\n",
    "nested": "operations:\n- exportBucket: b\n  prefix: 'a/b c'\n- destination: d\n",
    "long line": "notes: " + "word " * 400 + "\n",
    "tab inside": "name: \"a\\tb\"\n",
}


@pytest.mark.parametrize("text", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_manifest_text_is_the_pure_python_emitters(text):
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert serialize_manifest(node) == yaml.serialize(node, Dumper=yaml.SafeDumper, allow_unicode=True,
                                                      width=1_000_000)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_every_template_is_written_as_the_pure_python_emitter_writes_it(path):
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    assert serialize_manifest(node) == yaml.serialize(node, Dumper=yaml.SafeDumper, allow_unicode=True,
                                                      width=1_000_000)
