"""The CI services' documented rules, reproduced on this machine so that the recipes in `examples/` run
as written (docs/sources.md C1-C5): the GitHub Actions job's `run:` steps and the GitLab job's
`script`, each in bash with the service's error handling, with the artifact layout the upload and
download rules produce.

What cannot run here is substituted and named: `uses:` actions other than the two artifact actions
(checkout, setup-python: the workspace and this Python stand in), and the step or line that installs
the suite from `SUITE_REPO` (the console scripts of this Python are on PATH instead). Everything
else, including the recipe's own baseline download (`curl` against the GitLab API, served here by
`GitLabArtifactsApi` from the artifacts of the last successful job), runs as written.
"""
from __future__ import annotations

import io
import os
import signal
import subprocess
import threading
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

STEP_TIMEOUT_S = 600
INSTALL_MARK = "pip install"


@dataclass
class StepResult:
    """One step (or script line block) as it ran: skipped, or its exit status and output."""

    name: str
    status: int | None  # None: skipped (its `if:` was false, or an earlier step failed)
    output: str = ""


@dataclass
class JobResult:
    """A whole job: whether it succeeded, each step, and the artifacts it kept."""

    succeeded: bool
    steps: list[StepResult] = field(default_factory=list)
    artifacts: dict[str, bytes] = field(default_factory=dict)  # name -> zip

    def step(self, name: str) -> StepResult:
        return next(step for step in self.steps if step.name == name)


def least_common_ancestor(paths: list[Path]) -> Path:
    """C1: the root of an artifact uploaded from several paths."""
    return Path(os.path.commonpath([str(path.resolve()) for path in paths]))


def upload_artifact(workspace: Path, path_lines: str) -> bytes:
    """C1: actions/upload-artifact with `path:` lines (relative to the workspace) -> the artifact as a zip,
    its members named relative to the least common ancestor of the paths."""
    paths = [workspace / line.strip() for line in path_lines.splitlines() if line.strip()]
    existing = [path for path in paths if path.exists()]
    root = least_common_ancestor(existing)
    if root.is_file():
        root = root.parent
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in existing:
            for file in ([path] if path.is_file() else sorted(item for item in path.rglob("*") if item.is_file())):
                archive.write(file, file.resolve().relative_to(root).as_posix())
    return buffer.getvalue()


def download_artifact(artifact: bytes, destination: Path) -> None:
    """C2: dawidd6/action-download-artifact with `name` and `path`: the artifact extracted into `path`."""
    destination.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(artifact)) as archive:
        archive.extractall(destination)


def gitlab_artifacts(workspace: Path, paths: list[str]) -> dict[str, bytes]:
    """C4: a GitLab job's `artifacts:paths`, kept with their paths relative to the project directory."""
    kept: dict[str, bytes] = {}
    for name in paths:
        path = workspace / name
        files = [path] if path.is_file() else sorted(item for item in path.rglob("*") if item.is_file())
        for file in files:
            kept[file.relative_to(workspace).as_posix()] = file.read_bytes()
    return kept


def run_shell(script: str, workspace: Path, environment: dict, options: str) -> tuple[int, str, int]:
    """`script` in a file run by `bash {options}` in its own session: (status, output, process group).
    Background processes the script starts stay in that group until `stop_group`."""
    script_file = workspace.parent / f"step-{abs(hash(script))}.sh"
    script_file.write_text(script, encoding="utf-8")
    process = subprocess.Popen(["bash", *options.split(), str(script_file)], cwd=workspace, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=STEP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        stop_group(process.pid)
        output, _ = process.communicate()
    return process.returncode, output, process.pid


def stop_group(group: int) -> None:
    """Stop what a step left running (the implementation it started in the background)."""
    try:
        os.killpg(group, signal.SIGTERM)
    except ProcessLookupError:
        pass


class GitLabArtifactsApi:
    """C5 on 127.0.0.1: `GET /api/v4/projects/1/jobs/artifacts/<ref>/raw/<path>?job=<name>` answers the file
    from the artifacts of the latest successful job of that name on that ref (404 otherwise), and
    only to a request with the job token in `JOB-TOKEN`."""

    PROJECT_ID = "1"
    TOKEN = "job-token-for-the-recipe-test"

    def __init__(self):
        self.successful: dict[tuple[str, str], dict[str, bytes]] = {}  # (ref, job) -> artifacts
        self.requests: list[str] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                api.requests.append(self.path)
                status, body = api.answer(self.path, self.headers.get("JOB-TOKEN"))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_port}/api/v4"

    def answer(self, path: str, token: str | None) -> tuple[int, bytes]:
        if token != self.TOKEN:
            return 401, b'{"message":"401 Unauthorized"}'
        parts = urlsplit(path)
        prefix = f"/api/v4/projects/{self.PROJECT_ID}/jobs/artifacts/"
        if not parts.path.startswith(prefix) or "/raw/" not in parts.path:
            return 404, b'{"message":"404 Not Found"}'
        ref, _, artifact_path = parts.path[len(prefix):].partition("/raw/")
        job = parse_qs(parts.query).get("job", [""])[0]
        artifacts = self.successful.get((ref, job), {})
        if artifact_path not in artifacts:
            return 404, b'{"message":"404 Not Found"}'
        return 200, artifacts[artifact_path]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


GITHUB_RUN_OPTIONS = "-e"  # C3: a run step without shell: runs as `bash -e {0}` on Linux
GITLAB_SCRIPT_OPTIONS = "-e"  # C4: the job fails at the first script command that exits non-zero
ARTIFACT_ACTIONS = ("actions/upload-artifact@", "dawidd6/action-download-artifact@")
SUBSTITUTED_ACTIONS = ("actions/checkout@", "actions/setup-python@")


def _condition(expression: str | None, ref: str, failed: bool) -> bool:
    """The `if:` expressions the recipe uses, as GitHub evaluates them; any other is a test error."""
    if expression is None:
        return not failed
    known = {"always()": True, "github.ref != 'refs/heads/main'": ref != "refs/heads/main",
             "github.ref == 'refs/heads/main'": ref == "refs/heads/main"}
    if expression not in known:
        raise AssertionError(f"the recipe uses `if: {expression}`, which this emulation does not know")
    return known[expression] and (expression == "always()" or not failed)


def run_github_job(job: dict, workspace: Path, environment: dict, ref: str, stored: dict[str, bytes],
                   rewrite) -> JobResult:
    """The steps of `job` in order, as a runner does (C1-C3); `stored` holds the artifacts of earlier
    runs by name (the download step reads it), `rewrite(step_name, script)` adapts a run script to
    this machine (a free port, the server under test)."""
    result = JobResult(succeeded=True)
    groups = []
    try:
        for step in job["steps"]:
            name = step.get("name") or step.get("uses")
            if not _condition(step.get("if"), ref, not result.succeeded):
                result.steps.append(StepResult(name, None))
                continue
            uses, inputs = step.get("uses", ""), step.get("with") or {}
            if uses.startswith("actions/upload-artifact@"):
                result.artifacts[inputs["name"]] = upload_artifact(workspace, inputs["path"])
                result.steps.append(StepResult(name, 0))
            elif uses.startswith("dawidd6/action-download-artifact@"):
                if inputs["name"] in stored:
                    download_artifact(stored[inputs["name"]], workspace / inputs.get("path", "."))
                elif inputs.get("if_no_artifact_found", "fail") == "fail":
                    result.succeeded = False
                result.steps.append(StepResult(name, 0))
            elif uses:
                assert uses.startswith(SUBSTITUTED_ACTIONS), f"unknown action {uses}"
                result.steps.append(StepResult(name, 0, "substituted: the workspace and this Python"))
            elif INSTALL_MARK in step["run"]:
                result.steps.append(StepResult(name, 0, "substituted: this Python's console scripts"))
            else:
                step_env = {key: str(value) for key, value in (step.get("env") or {}).items()}
                step_environment = {**environment, **step_env}
                status, output, group = run_shell(rewrite(name, step["run"]), workspace, step_environment,
                                                  GITHUB_RUN_OPTIONS)
                groups.append(group)
                result.steps.append(StepResult(name, status, output))
                result.succeeded = result.succeeded and status == 0
    finally:
        for group in groups:
            stop_group(group)
    return result


def run_gitlab_job(job: dict, workspace: Path, environment: dict, rewrite) -> tuple[JobResult, dict[str, bytes]]:
    """The job's `script` in one shell (C4), its variables in the environment; the artifacts it keeps
    (`when: always`) by their paths. The line that installs the suite is substituted."""
    lines = [line for line in job["script"] if INSTALL_MARK not in line]
    variables = {key: str(value) for key, value in (job.get("variables") or {}).items()}
    status, output, group = run_shell(rewrite("script", "\n".join(lines) + "\n"), workspace,
                                      {**environment, **variables}, GITLAB_SCRIPT_OPTIONS)
    stop_group(group)
    result = JobResult(succeeded=status == 0, steps=[StepResult("script", status, output)])
    artifacts = job.get("artifacts") or {}
    kept = gitlab_artifacts(workspace, artifacts.get("paths", [])) \
        if artifacts.get("when") == "always" or status == 0 else {}
    return result, kept
