"""Size and repetition of the fixtures (issue 10's figures).

    python tools/fixture_stats.py [fixtures-dir]

Counts the non-blank lines of every case, property, generator, template and manifest file under
fixtures/ (`*.yaml`, `*.property`, `*.generator`), leaving out the copied reference examples
(fixtures/examples/reference/) and the data files (`*/data/*`: oversized request bodies, not cases).
Repetition: the share of those lines that lie in an 8-line window (lines trimmed, blank lines skipped,
per file) whose text appeared earlier in the walk (files in sorted order).
"""
from __future__ import annotations

import sys
from pathlib import Path

WINDOW = 8
SUFFIXES = (".yaml", ".property", ".generator")


def fixture_files(root: Path) -> list[Path]:
    """The files measured, sorted."""
    return sorted(path for path in root.rglob("*") if path.is_file() and path.suffix in SUFFIXES
                  and "reference" not in path.relative_to(root).parts[:2]
                  and "data" not in path.relative_to(root).parts[:-1])


def measure(root: Path) -> tuple[int, int, int]:
    """(files, non-blank lines, lines inside a repeated 8-line window)."""
    seen: set[tuple[str, ...]] = set()
    total = repeated = 0
    files = fixture_files(root)
    for path in files:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        total += len(lines)
        covered = [False] * len(lines)
        windows = [tuple(lines[start:start + WINDOW]) for start in range(len(lines) - WINDOW + 1)]
        for start, window in enumerate(windows):
            if window in seen:
                for offset in range(WINDOW):
                    covered[start + offset] = True
            seen.add(window)
        repeated += sum(covered)
    return len(files), total, repeated


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "fixtures"
    files, total, repeated = measure(root)
    print(f"{files} files, {total} non-blank lines, {repeated} ({100 * repeated / max(total, 1):.1f}%) "
          f"in an {WINDOW}-line window that appeared earlier")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
