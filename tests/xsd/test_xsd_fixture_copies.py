"""The published examples in fixtures/examples/reference/ are byte-identical copies of
shared/reference/examples/ (and the seed page of shared/reference/seed/). Skipped when the shared
directory is not next to the checkout."""

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
COPIES_DIR = REPO_ROOT / "fixtures" / "examples" / "reference"
SHARED_EXAMPLES_DIR = REPO_ROOT.parent / "shared" / "reference" / "examples"
SHARED_SEED_PAGE = REPO_ROOT.parent / "shared" / "reference" / "seed" / "000_dddb430eff691ddd.txt"
SEED_PAGE_COPY = "UpdateJob-seed-page.txt"
PROJECT_OWN_FILES = {"README.md", SEED_PAGE_COPY, f"{SEED_PAGE_COPY}.source"}

needs_shared = pytest.mark.skipif(
    not SHARED_EXAMPLES_DIR.is_dir(), reason=f"{SHARED_EXAMPLES_DIR} does not exist"
)


def file_names(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir() if p.is_file()}


@needs_shared
def test_copies_hold_exactly_the_shared_examples():
    assert file_names(COPIES_DIR) - PROJECT_OWN_FILES == file_names(SHARED_EXAMPLES_DIR)


@needs_shared
@pytest.mark.parametrize(
    "name", sorted(file_names(SHARED_EXAMPLES_DIR)) if SHARED_EXAMPLES_DIR.is_dir() else []
)
def test_copy_is_byte_identical(name):
    assert (COPIES_DIR / name).read_bytes() == (SHARED_EXAMPLES_DIR / name).read_bytes()


@pytest.mark.skipif(not SHARED_SEED_PAGE.is_file(), reason=f"{SHARED_SEED_PAGE} does not exist")
def test_seed_page_copy_is_byte_identical():
    assert (COPIES_DIR / SEED_PAGE_COPY).read_bytes() == SHARED_SEED_PAGE.read_bytes()


def test_every_copied_data_file_has_a_source_sidecar():
    data_files = file_names(COPIES_DIR) - {"README.md"}
    without_sidecar = sorted(
        name for name in data_files if not name.endswith(".source") and f"{name}.source" not in data_files
    )
    assert without_sidecar == []


def test_seed_page_sidecar_names_the_update_job_page():
    first_line = (COPIES_DIR / f"{SEED_PAGE_COPY}.source").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "http://docs.aws.amazon.com/AWSImportExport/latest/API/WebUpdateJob.html"
