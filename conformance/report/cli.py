"""`importexport-report`: read, compare and replay conformance runs.

Subcommands (each in its own module): `diff BASE NEW` and `gate RESULTS [--baseline BASE]`
(report/diff.py: exit 1 on a regression by the gate's rules, docs/engine.md), `show RESULTS`
(report/terminal.py), `replay CASE_ID --target-config FILE` (report/replay.py).
Bad input is one line on stderr and exit status 2.
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
                               description="Regressions (with their mismatch text), fixes, still failing, cases "
                                           "added and removed, per operation. Exit status 1 on a regression: a "
                                           "case that passed in BASE fails in NEW, a new case fails, a listed "
                                           "deviation passes, or NEW did not complete (docs/engine.md).")
    diff.add_argument("base", type=Path, metavar="BASE", help="results.json of the reference run")
    diff.add_argument("new", type=Path, metavar="NEW", help="results.json of the run to judge")
    gate = commands.add_parser("gate", help="judge a run by the gate's rules, against a baseline when given",
                               description="Like diff; without --baseline every failing item is a regression. "
                                           "Exit status 1 on a regression or an incomplete run, 0 otherwise.")
    gate.add_argument("new", type=Path, metavar="RESULTS", help="results.json of the run to judge")
    gate.add_argument("--baseline", type=Path, metavar="BASE", help="results.json of the reference run")
    for command in (diff, gate):
        command.add_argument("--format", choices=("markdown", "json"), default="markdown",
                             help="output format (default: %(default)s)")
        command.add_argument("--output", type=Path, metavar="FILE", help="also write the report to FILE")
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
        if args.command in ("diff", "gate"):
            base_path = args.base if args.command == "diff" else args.baseline
            base = load_results(base_path) if base_path is not None else None
            difference = compare(base, load_results(args.new))
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
