"""`importexport-report`: read, compare and replay conformance runs.

Subcommands (each in its own module): `diff BASE NEW` (report/diff.py; exit 1 when a case that
passed in BASE fails in NEW), `show RESULTS` (report/terminal.py), `replay CASE_ID --target-config
FILE` (report/replay.py). Bad input is one line on stderr and exit status 2.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from conformance.report.diff import compare, to_json, to_markdown
from conformance.report.replay import ReplayError, replay
from conformance.report.results_file import ResultsFileError, load_results
from conformance.report.terminal import render_show

PROGRAM = "importexport-report"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROGRAM, description="Read, compare and replay runs of the "
                                     "Import/Export conformance suite (results.json from --report-dir).")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    diff = commands.add_parser("diff", help="compare two results.json; exit 1 when anything regressed",
                               description="New failures, fixes, still failing, cases added and removed, per "
                                           "operation. Exit status 1 when a case that passed in BASE fails in NEW.")
    diff.add_argument("base", type=Path, metavar="BASE", help="results.json of the reference run")
    diff.add_argument("new", type=Path, metavar="NEW", help="results.json of the run to judge")
    diff.add_argument("--format", choices=("markdown", "json"), default="markdown",
                      help="output format (default: %(default)s)")
    diff.add_argument("--output", type=Path, metavar="FILE", help="also write the report to FILE")
    show = commands.add_parser("show", help="print the scores and the conformance matrix of a results.json")
    show.add_argument("results", type=Path, metavar="RESULTS", help="results.json of a run")
    again = commands.add_parser("replay", help="run one case against a target and print its exchanges",
                                description="Runs the items of exactly CASE_ID (one per scheme) and prints each "
                                            "step's request, curl line and response. Exit status: pytest's.")
    again.add_argument("case_id", metavar="CASE_ID", help="case id, e.g. CancelJob.FreshJobSucceeds")
    again.add_argument("--target-config", type=Path, required=True, metavar="FILE", help="YAML target config")
    again.add_argument("--auth", choices=("sigv2", "sigv4", "both"), help="only this signature scheme")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "diff":
            difference = compare(load_results(args.base), load_results(args.new))
            text = to_json(difference) if args.format == "json" else to_markdown(difference)
            if args.output is not None:
                args.output.write_text(text, encoding="utf-8")
            sys.stdout.write(text)
            return 1 if difference["regressed"] else 0
        if args.command == "show":
            sys.stdout.write(render_show(load_results(args.results)))
            return 0
        extra = ["--auth", args.auth] if args.auth else []
        return replay(args.case_id, args.target_config, extra)
    except (ResultsFileError, ReplayError) as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
