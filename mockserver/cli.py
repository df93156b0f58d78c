"""Command line of the mock endpoint: `importexport-mock` / `python -m mockserver`.

Binds the socket first (so `--port 0` can report the real port), starts moto's S3 beside it with
`--with-s3`, prints one line saying where it serves, then serves with waitress until interrupted.
Access log records go to stderr (text lines, or JSON objects with `--log-format json`).
"""
from __future__ import annotations

import argparse
import gc
import os
import signal
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from mockserver import serving
from mockserver.app import MockApplication
from mockserver.config import ConfigError, MockConfig, check_s3_endpoint_url, load_config
from mockserver.logs import LOG_FORMATS, configure_logging

PROGRAM = "importexport-mock"
SCRATCH_MIN_FREE_BYTES = 1024 ** 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description=(
            "Serve a mock of the AWS Import/Export 2010-06-01 Query API (all six actions, SigV2 and "
            "SigV4 authentication) for boto3, the AWS CLI and the conformance suite."
        ),
        epilog=(
            "On startup one line goes to stdout: 'importexport-mock: serving on http://HOST:PORT', "
            "followed by ' (control API at /_mock/)' with --admin and ' with S3 at URL' with --with-s3 or "
            "--s3-endpoint-url. Each request then logs one record to stderr (time in JSON only, method, "
            "path, action, status, request id, duration, the signer's access key id); secrets, "
            "signatures and manifests are never logged."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument(
        "--port", type=int, default=8080, help="port to listen on; 0 picks a free port (default: %(default)s)"
    )
    parser.add_argument(
        "--db", type=Path, metavar="PATH",
        help="SQLite database file holding the jobs; reuse it to keep jobs across restarts "
             "(default: a fresh temporary file, removed on exit, in memory-backed /dev/shm when it has 1 GiB free)",
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE",
        help="YAML file with accounts, buckets and limits; replaces the bundled defaults",
    )
    parser.add_argument(
        "--admin", action="store_true",
        help="enable the unauthenticated control API under /_mock/ (reset, job state, clock, quota, "
             "jobs, inject); off by default",
    )
    parser.add_argument(
        "--admin-allow-remote", action="store_true",
        help="with --admin, serve the control API to clients that are not on loopback too "
             "(by default they get 403)",
    )
    parser.add_argument(
        "--jobs-per-day", type=int, metavar="N",
        help="daily CreateJob quota per account; overrides limits.jobs_per_day of the configuration",
    )
    parser.add_argument(
        "--s3-endpoint-url", metavar="URL",
        help="take bucket existence, owner and region from this S3 API and write shipping labels there "
             "(presigned URLs); overrides s3_endpoint_url of the configuration (default: the "
             "configuration's buckets table, labels served by the mock)",
    )
    parser.add_argument(
        "--with-s3", action="store_true",
        help="start moto's S3 in this process on --s3-port and use it as --s3-endpoint-url",
    )
    parser.add_argument(
        "--s3-port", type=int, default=0, metavar="PORT",
        help="port of the S3 started by --with-s3 (default: a free port)",
    )
    parser.add_argument(
        "--worker-threads", type=int, default=0, metavar="N",
        help="serve requests on a pool of N worker threads instead of the server's I/O thread; slower "
             "under concurrent clients (kept to compare the two; default: %(default)s, the I/O thread)",
    )
    parser.add_argument(
        "--log-format", choices=LOG_FORMATS, default="text",
        help="access log on stderr: one text line or one JSON object per request (default: %(default)s)",
    )
    return parser


def _usage_error(args: argparse.Namespace) -> str | None:
    if args.admin_allow_remote and not args.admin:
        return "--admin-allow-remote needs --admin"
    if args.jobs_per_day is not None and args.jobs_per_day < 0:
        return "--jobs-per-day must be >= 0"
    if args.with_s3 and args.s3_endpoint_url:
        return "--with-s3 and --s3-endpoint-url exclude each other"
    if args.s3_port != 0 and not args.with_s3:
        return "--s3-port needs --with-s3"
    if not 0 <= args.worker_threads <= 256:
        return "--worker-threads must be between 0 and 256"
    if not 0 <= args.s3_port <= 65535:
        return "--s3-port must be between 0 and 65535"
    return None


def _with_s3_option(config: MockConfig, url: str) -> MockConfig:
    return config.with_s3_endpoint_url(
        check_s3_endpoint_url(url, lambda _, problem: ConfigError(f"--s3-endpoint-url {url!r}: {problem}"))
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    problem = _usage_error(args)
    if problem:
        print(f"{PROGRAM}: error: {problem}", file=sys.stderr)
        return 2
    try:
        config = load_config(args.config)
        if args.s3_endpoint_url:
            config = _with_s3_option(config, args.s3_endpoint_url)
    except ConfigError as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return 2
    if args.jobs_per_day is not None:
        config = config.with_jobs_per_day(args.jobs_per_day)
    configure_logging(args.log_format)
    local_s3 = None
    if args.with_s3:
        from mockserver.local_s3 import LocalS3

        try:
            local_s3 = LocalS3(args.host, args.s3_port, config.accounts)
            config = config.with_s3_endpoint_url(local_s3.start())
        except OSError as error:
            print(f"{PROGRAM}: error: cannot start S3 on {args.host}:{args.s3_port}: {error}", file=sys.stderr)
            return 2
    try:
        return _serve(args, config)
    finally:
        if local_s3 is not None:
            local_s3.stop()


def _serve(args: argparse.Namespace, config: MockConfig) -> int:
    with tempfile.TemporaryDirectory(prefix="importexport-mock-", dir=scratch_parent()) as scratch:
        db_path = args.db if args.db is not None else Path(scratch) / "jobs.db"
        try:
            application = MockApplication(config, db_path, admin=args.admin,
                                          admin_allow_remote=args.admin_allow_remote)
        except sqlite3.Error as error:
            print(f"{PROGRAM}: error: cannot use the database {db_path}: {error}", file=sys.stderr)
            return 2
        application.warm_up()
        # Everything loaded so far (botocore's model, werkzeug, the label renderer: about 80,000
        # objects) lives as long as the process; frozen out of the collector, a full collection
        # no longer walks it (72 ms measured, a pause every connection in flight waited out).
        gc.freeze()
        try:
            server = serving.create_server(application, args.host, args.port, args.worker_threads)
        except OSError as error:
            print(f"{PROGRAM}: error: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
            application.close()
            return 2
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        print(_startup_line(args.host, _bound_port(server), args.admin, config.s3_endpoint_url), flush=True)
        try:
            server.run()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            server.close()
            application.close()
    return 0


def scratch_parent() -> str | None:
    """Where the default database (no `--db`) goes: memory-backed /dev/shm when it is a writable
    directory with at least `SCRATCH_MIN_FREE_BYTES` free, else the system's temporary directory (None).

    That database is removed on exit and no later start can open it again, so what it holds lives
    as long as the process, wherever it is. Every commit is still synced (`synchronous=FULL`); on a
    memory-backed file system the sync costs no disk write, which was a third of a CreateJob's time
    (bench/wrk_capacity.py measures the mock with `--db` on disk beside it). With `--db`, the file is
    where the user says, and survives crashes and restarts as before.
    """
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK | os.X_OK)):
        return None
    space = os.statvfs(shm)
    # a container's /dev/shm is often 64 MiB: too small for a long session's jobs
    return str(shm) if space.f_bavail * space.f_frsize >= SCRATCH_MIN_FREE_BYTES else None


def _bound_port(server) -> int:
    """The port actually bound (waitress serves several sockets when a name resolves to several)."""
    if hasattr(server, "effective_port"):
        return server.effective_port
    return server.effective_listen[0][1]


def _startup_line(host: str, port: int, admin: bool, s3_endpoint_url: str | None) -> str:
    shown_host = f"[{host}]" if ":" in host else host
    line = f"{PROGRAM}: serving on http://{shown_host}:{port}"
    if admin:
        line += " (control API at /_mock/)"
    return line + f" with S3 at {s3_endpoint_url}" if s3_endpoint_url else line


def _exit_on_sigterm(signum, frame) -> None:
    raise SystemExit(0)
