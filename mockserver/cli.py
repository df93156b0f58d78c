"""Command line of the mock endpoint: `importexport-mock` / `python -m mockserver`.

Binds the socket first (so `--port 0` can report the real port), prints one line saying where it
serves, then serves with waitress until interrupted. Access log lines go to stderr.
"""
from __future__ import annotations

import argparse
import logging
import signal
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import waitress

from mockserver.app import MockApplication
from mockserver.config import ConfigError, load_config

PROGRAM = "importexport-mock"
WORKER_THREADS = 16


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description=(
            "Serve a mock of the AWS Import/Export 2010-06-01 Query API (all six actions, SigV2 and "
            "SigV4 authentication) for boto3, the AWS CLI and the conformance suite."
        ),
        epilog=(
            "On startup one line goes to stdout: 'importexport-mock: serving on http://HOST:PORT', "
            "followed by ' (control API at /_mock/)' with --admin. Each request then logs one line to "
            "stderr (method, path, action, status, request id, duration)."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument(
        "--port", type=int, default=8080, help="port to listen on; 0 picks a free port (default: %(default)s)"
    )
    parser.add_argument(
        "--db", type=Path, metavar="PATH",
        help="SQLite database file holding the jobs; reuse it to keep jobs across restarts "
             "(default: a fresh temporary file, removed on exit)",
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.admin_allow_remote and not args.admin:
        print(f"{PROGRAM}: error: --admin-allow-remote needs --admin", file=sys.stderr)
        return 2
    if args.jobs_per_day is not None and args.jobs_per_day < 0:
        print(f"{PROGRAM}: error: --jobs-per-day must be >= 0", file=sys.stderr)
        return 2
    try:
        config = load_config(args.config)
    except ConfigError as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return 2
    if args.jobs_per_day is not None:
        config = config.with_jobs_per_day(args.jobs_per_day)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(message)s")
    with tempfile.TemporaryDirectory(prefix="importexport-mock-") as scratch:
        db_path = args.db if args.db is not None else Path(scratch) / "jobs.db"
        try:
            application = MockApplication(config, db_path, admin=args.admin,
                                          admin_allow_remote=args.admin_allow_remote)
        except sqlite3.Error as error:
            print(f"{PROGRAM}: error: cannot use the database {db_path}: {error}", file=sys.stderr)
            return 2
        try:
            server = waitress.create_server(application, host=args.host, port=args.port, threads=WORKER_THREADS)
        except OSError as error:
            print(f"{PROGRAM}: error: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
            application.close()
            return 2
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        print(_startup_line(args.host, _bound_port(server), args.admin), flush=True)
        try:
            server.run()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            server.close()
            application.close()
    return 0


def _bound_port(server) -> int:
    """The port actually bound (waitress serves several sockets when a name resolves to several)."""
    if hasattr(server, "effective_port"):
        return server.effective_port
    return server.effective_listen[0][1]


def _startup_line(host: str, port: int, admin: bool) -> str:
    shown_host = f"[{host}]" if ":" in host else host
    line = f"{PROGRAM}: serving on http://{shown_host}:{port}"
    return line + " (control API at /_mock/)" if admin else line


def _exit_on_sigterm(signum, frame) -> None:
    raise SystemExit(0)
