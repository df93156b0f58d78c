"""Command lines of the Go and Ruby SDK programs, building the Go one first (once, cached, offline).

    go_client_command("steps")    # the Go driver (step protocol of js/run_steps.js)
    go_reader_command()           # the Go reader of the reader oracle
    ruby_steps_command()          # the Ruby driver
    ruby_reader_command()         # the Ruby reader

The AWS SDK for Go v1 (Debian's golang-github-aws-aws-sdk-go-dev) ships no importexport client: its
generator skips the service through an exclusion list. `build_go_client` generates one with the SDK's
own generator from botocore's importexport model, then builds tests/clients/go against it, in GOPATH
mode (GO111MODULE=off, no network): a build GOPATH overlays the Debian package with a copy of the
generator command whose exclusion entry for importexport is removed by `lift_exclusion`, and receives
the generated package github.com/aws/aws-sdk-go/service/importexport; every other package comes from
/usr/share/gocode. The result lives in a cache directory keyed by a hash of every input (the Go
sources, this file, the model, the generator, the SDK and Go versions), so a test session builds at
most once; `python -m tests.clients.sdk_builds` builds and prints the command and the build time.
"""
from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

import botocore

HERE = Path(__file__).resolve().parent
GO_SOURCES = HERE / "go"
RUBY_SOURCES = HERE / "ruby"
GOCODE = Path("/usr/share/gocode")
SDK_IMPORT = "github.com/aws/aws-sdk-go"
SDK_ROOT = GOCODE / "src" / SDK_IMPORT
GENERATOR = "private/model/cli/gen-api"
MODEL = Path(botocore.__file__).parent / "data" / "importexport" / "2010-06-01" / "service-2.json"
EXCLUSION_ENTRY = re.compile(r'^\s*"importexport":\s*\{\},\s*\n', re.M)
GO_PACKAGES = "golang-go golang-github-aws-aws-sdk-go-dev"
RUBY_PACKAGE = "ruby-aws-sdk"
BINARY = "importexport-go-client"
BUILD_TIMEOUT_S = 600


class ToolchainMissing(RuntimeError):
    """A compiler, interpreter or SDK package the programs need is not installed."""


def cache_root() -> Path:
    """`IMPORTEXPORT_SDK_CACHE`, else `$XDG_CACHE_HOME` or ~/.cache, under importexport-conformance/."""
    configured = os.environ.get("IMPORTEXPORT_SDK_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "importexport-conformance"


def _model_path() -> Path:
    """botocore ships its models gzipped (service-2.json.gz) or plain."""
    for candidate in (MODEL, MODEL.with_name(MODEL.name + ".gz")):
        if candidate.exists():
            return candidate
    raise ToolchainMissing(f"botocore has no importexport model at {MODEL}(.gz)")


def _model_text() -> bytes:
    path = _model_path()
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


def _check_go() -> str:
    if shutil.which("go") is None or not (SDK_ROOT / GENERATOR / "main.go").exists():
        raise ToolchainMissing(f"the Go SDK client needs the Debian packages {GO_PACKAGES} "
                               f"(go on PATH and {SDK_ROOT}): apt-get install -y {GO_PACKAGES}")
    return subprocess.run(["go", "version"], capture_output=True, text=True, check=True).stdout.strip()


def _inputs_hash(go_version: str) -> str:
    digest = hashlib.sha256(go_version.encode())
    for path in (*sorted(GO_SOURCES.glob("*.go")), Path(__file__), SDK_ROOT / GENERATOR / "main.go",
                 SDK_ROOT / "aws" / "version.go"):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(_model_text())
    return digest.hexdigest()[:16]


def lift_exclusion(generator_source: str) -> str:
    """The generator's source without its exclusion entry for importexport (an error if it has none)."""
    lifted, count = EXCLUSION_ENTRY.subn("", generator_source)
    if count != 1:
        raise RuntimeError(f"expected one importexport entry in the exclusion list of {GENERATOR}/main.go, "
                           f"found {count}: the SDK changed, review tests/clients/sdk_builds.py")
    return lifted


def _go(arguments: list[str], cwd: Path, gopath: Path, gocache: Path) -> None:
    environment = {**os.environ, "GO111MODULE": "off", "GOFLAGS": "", "GOPROXY": "off",
                   "GOPATH": f"{gopath}{os.pathsep}{GOCODE}", "GOCACHE": str(gocache)}
    done = subprocess.run(["go", *arguments], cwd=cwd, env=environment, capture_output=True, text=True,
                          timeout=BUILD_TIMEOUT_S)
    if done.returncode != 0:
        raise RuntimeError(f"go {' '.join(arguments)} failed in {cwd} (exit {done.returncode}):\n"
                           f"{done.stdout}{done.stderr}")


def _build(target: Path) -> None:
    """Generate the client and build the program into `target` (a fresh directory)."""
    started = time.monotonic()
    gopath = target / "gopath"
    overlay = gopath / "src" / SDK_IMPORT
    generator = overlay / GENERATOR
    generator.mkdir(parents=True)
    (generator / "main.go").write_text(lift_exclusion((SDK_ROOT / GENERATOR / "main.go").read_text()))
    model = target / "models" / "apis" / "importexport" / "2010-06-01" / "api-2.json"
    model.parent.mkdir(parents=True)
    model.write_bytes(_model_text())
    gocache = cache_root() / "gocache"   # Go's build cache: shared by builds, safe for concurrent use
    _go(["run", "-tags", "codegen", f"./{GENERATOR}", "-path", str(overlay / "service"), str(model)],
        overlay, gopath, gocache)
    if not (overlay / "service" / "importexport" / "api.go").exists():
        raise RuntimeError(f"the generator wrote no importexport client under {overlay / 'service'}")
    program = target / "program"
    shutil.copytree(GO_SOURCES, program)
    _go(["build", "-o", str(target / BINARY), "."], program, gopath, gocache)
    (target / "build.json").write_text(json.dumps({"build_s": round(time.monotonic() - started, 1)}))


@cache
def build_go_client() -> Path:
    """The built Go program (generated client + tests/clients/go), built now unless cached."""
    directory = cache_root() / f"go-client-{_inputs_hash(_check_go())}"
    binary = directory / BINARY
    if binary.exists():
        return binary
    directory.parent.mkdir(parents=True, exist_ok=True)
    with open(directory.parent / "go-client.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not binary.exists():
            staging = Path(tempfile.mkdtemp(prefix="go-client-build-", dir=directory.parent))
            try:
                _build(staging)
                staging.rename(directory)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    return binary


def go_build_seconds() -> float | None:
    """How long the cached build took when it was made (build.json beside the program)."""
    record = build_go_client().parent / "build.json"
    return json.loads(record.read_text())["build_s"] if record.exists() else None


def go_client_command(mode: str) -> list[str]:
    """The Go program in `mode` ("steps" or "read")."""
    return [str(build_go_client()), mode]


def go_reader_command() -> list[str]:
    return go_client_command("read")


def _ruby(script: str) -> list[str]:
    ruby = shutil.which("ruby")
    if ruby is None or subprocess.run([ruby, "-e", "require 'aws-sdk'; AWS::ImportExport::Client"],
                                      capture_output=True).returncode != 0:
        raise ToolchainMissing(f"the Ruby SDK driver needs ruby and the Debian package {RUBY_PACKAGE} "
                               f"(require 'aws-sdk' v1): apt-get install -y {RUBY_PACKAGE}")
    return [ruby, str(RUBY_SOURCES / script)]


@cache
def ruby_steps_command() -> list[str]:
    return _ruby("run_steps.rb")


@cache
def ruby_reader_command() -> list[str]:
    return _ruby("read_documents.rb")


if __name__ == "__main__":
    started = time.monotonic()
    command = go_reader_command()
    print(f"{' '.join(command)}  (this call {time.monotonic() - started:.1f} s, build {go_build_seconds()} s)",
          file=sys.stdout)
    print(" ".join(ruby_reader_command()))
