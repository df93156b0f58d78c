"""The manifest options docs/sources.md lists (section "Manifest options of the option pages") are all
known to the mock and sent by the suite: each name is a string the mock's manifest modules
(mockserver/manifest/) spell, and a key some case file or manifest template under fixtures/ writes.
An option added to the list without a rule in the mock or a case fails here (issue 19, item 4)."""
from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SECTION = "## Manifest options of the option pages"
OPTION = re.compile(r"`([A-Za-z][A-Za-z0-9]*)`")


def listed_options() -> list:
    text = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION):]
    section = section[:section.index("\n## ", len(SECTION))]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return sorted({name for row in rows for name in OPTION.findall(row.split(" | ")[0])})


def test_the_list_holds_every_option_page_option():
    options = listed_options()
    assert len(options) >= 55, options
    for name in ("ignore", "contentTypes", "expires", "setContentEncodingForGzFiles", "cacheControl",
                 "trueCryptPassword", "eraseDevice", "serviceLevel", "customs", "fileSystem"):
        assert name in options


def test_every_listed_option_is_known_to_the_mock():
    mock = "\n".join(path.read_text(encoding="utf-8") for path in (REPO / "mockserver" / "manifest").glob("*.py"))
    unknown = [name for name in listed_options() if f'"{name}"' not in mock]
    assert not unknown, f"options docs/sources.md lists that mockserver/manifest/ never names: {unknown}"


def test_every_listed_option_is_sent_by_a_case():
    fixtures = "\n".join(path.read_text(encoding="utf-8") for path in (REPO / "fixtures").rglob("*.yaml"))
    unsent = [name for name in listed_options() if not re.search(rf"(?<![\w.]){name}(?=[.:\]}},' ])", fixtures)]
    assert not unsent, f"options docs/sources.md lists that no case file or template writes: {unsent}"
