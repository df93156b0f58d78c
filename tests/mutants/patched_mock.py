"""The bundled mock with one mutant's patch applied: `python -m tests.mutants.patched_mock NAME [mock options]`.

NAME is a mutant (tests/mutants/catalog.py), a variant (tests/variants/catalog.py) or a variant server
(tests/variants/servers.py); its `patch` (if any) replaces public seams of
`mockserver` (tests/mutants/seams.py) before the command line of `python -m mockserver` runs with
the remaining options.
"""
from __future__ import annotations

import sys

from mockserver.cli import main as mock_main
from tests.mutants.catalog import server_named


def main(argv: list) -> int:
    if not argv:
        print("usage: python -m tests.mutants.patched_mock NAME [mock options]", file=sys.stderr)
        return 2
    mutant = server_named(argv[0])
    if mutant.patch is not None:
        mutant.patch()
    return mock_main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
