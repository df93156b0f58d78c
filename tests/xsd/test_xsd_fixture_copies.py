"""The published examples in fixtures/examples/reference/ are kept byte for byte as published or
recorded: `SHA256SUMS` beside them pins every data file (recorded when they were copied), and every
data file has a `.source` sidecar naming where it comes from. Runs in a fresh clone; nothing outside
the repository is read."""

import hashlib
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
COPIES_DIR = REPO_ROOT / "fixtures" / "examples" / "reference"
CHECKSUMS = COPIES_DIR / "SHA256SUMS"
SEED_PAGE_COPY = "UpdateJob-seed-page.txt"
PROJECT_OWN_FILES = {"README.md", "SHA256SUMS"}


def file_names(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir() if p.is_file()}


def recorded_checksums() -> dict[str, str]:
    """`SHA256SUMS` as {file name: hex digest} (sha256sum's format: digest, two spaces, name)."""
    pairs = (line.split("  ", 1) for line in CHECKSUMS.read_text(encoding="utf-8").splitlines() if line)
    return {name: digest for digest, name in pairs}


def data_files() -> set[str]:
    return {name for name in file_names(COPIES_DIR) - PROJECT_OWN_FILES if not name.endswith(".source")}


def test_every_data_file_is_pinned_and_every_pin_has_a_file():
    assert set(recorded_checksums()) == data_files()


@pytest.mark.parametrize("name", sorted(recorded_checksums()))
def test_copy_is_byte_identical_to_what_was_recorded(name):
    assert hashlib.sha256((COPIES_DIR / name).read_bytes()).hexdigest() == recorded_checksums()[name]


def test_every_copied_data_file_has_a_source_sidecar():
    without_sidecar = sorted(name for name in data_files() if f"{name}.source" not in file_names(COPIES_DIR))
    assert without_sidecar == []


def test_every_sidecar_names_a_page_or_a_repository_file():
    for sidecar in sorted(COPIES_DIR.glob("*.source")):
        first_line = sidecar.read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith("http") or "@" in first_line, f"{sidecar.name}: {first_line}"


def test_seed_page_sidecar_names_the_update_job_page():
    first_line = (COPIES_DIR / f"{SEED_PAGE_COPY}.source").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "http://docs.aws.amazon.com/AWSImportExport/latest/API/WebUpdateJob.html"
