"""Build hook (everything else is declared in pyproject.toml): the suite's cases (`fixtures/`), schema
(`xsd/`) and `pytest.ini` travel in the wheel as package data under `conformance/suite_data/`, where
conformance/locations.py finds them, while the repository keeps them at its top level."""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SUITE_FILES = ("pytest.ini", "fixtures", "xsd")


class BuildPyWithSuiteData(build_py):
    """build_py, then a copy of the suite's files into the built package (not for editable installs,
    which read the checkout's files in place)."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "conformance" / "suite_data"
        for name in SUITE_FILES:
            if Path(name).is_dir():
                self.copy_tree(name, str(target / name))
            else:
                self.mkpath(str(target))
                self.copy_file(name, str(target / name))


setup(cmdclass={"build_py": BuildPyWithSuiteData})
