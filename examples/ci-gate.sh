#!/usr/bin/env bash
# Conformance gate for an Import/Export implementation: run the suite, keep the reports, judge the run
# by the gate's rules (docs/engine.md, "The gate"), against the last run of the main branch when there
# is one. Both CI recipes beside this file call it; it runs the same on a workstation.
#
# Environment:
#   TARGET_CONFIG   target config YAML (endpoint_url, control_url, accounts, ...; docs/contract.md §1). Required.
#   DEVIATIONS      known-deviations YAML (--deviations); optional.
#   REPORT_DIR      where results.json, junit.xml, coverage.md, index.html and diff.md go (default: reports).
#   BASELINE        results.json of the last main-branch run. When the file exists the run is judged against
#                   it; without it every failing item counts.
#   SUITE_ARGS      extra options for the suite, e.g. "-m documented" or "--auth sigv4" (word-split). A subset
#                   run compares only what it selected.
#   SUITE_COMMAND   how to run the suite (default: importexport-conformance).
#   REPORT_COMMAND  how to run the report tool (default: importexport-report).
#
# A regression is: an item that passed in BASELINE and fails now; a new case that fails; a listed deviation
# that now passes (XPASS(strict)); a run that did not complete (stopped early, interrupted, or items that got
# no answer from the target). Each is listed with its id and mismatch text, here and in REPORT_DIR/diff.md.
#
# Exit status:
#   0  the gate passed
#   1  a regression (any of the four above)
#   2  the suite could not run: bad config or options, the preflight refused the target, no case selected,
#      no results.json written
#   3  this script was called wrongly (TARGET_CONFIG not set)
set -uo pipefail

if [[ -z "${TARGET_CONFIG:-}" ]]; then
    echo "ci-gate: usage: set TARGET_CONFIG to the target config YAML (see the header of $0); exit status 3" >&2
    exit 3
fi
REPORT_DIR="${REPORT_DIR:-reports}"
SUITE_COMMAND="${SUITE_COMMAND:-importexport-conformance}"
REPORT_COMMAND="${REPORT_COMMAND:-importexport-report}"

# shellcheck disable=SC2206  # SUITE_COMMAND is a command line, split on purpose
suite=($SUITE_COMMAND "--target-config=$TARGET_CONFIG" "--report-dir=$REPORT_DIR")
if [[ -n "${DEVIATIONS:-}" ]]; then
    suite+=("--deviations=$DEVIATIONS")
fi
# shellcheck disable=SC2206  # SUITE_ARGS is a list of options, split on purpose
suite+=(${SUITE_ARGS:-})

echo "ci-gate: ${suite[*]}"
"${suite[@]}"
run_status=$?
results="$REPORT_DIR/results.json"
if [[ ! -f "$results" ]]; then
    echo "ci-gate: the suite could not run (exit $run_status) and wrote no $results; see the output above" >&2
    exit 2
fi
# exit statuses 2-5 of the suite (interrupted, internal error, usage error or preflight, no case selected)
# with no item run mean it could not run; with items run, the run did not complete (judged below)
if [[ $run_status -ge 2 ]] && grep -q '"cases": \[\]' "$results"; then
    echo "ci-gate: the suite could not run (exit $run_status, no item ran); see the output above" >&2
    exit 2
fi
# shellcheck disable=SC2206  # REPORT_COMMAND is a command line, split on purpose
report=($REPORT_COMMAND)
"${report[@]}" show "$results"

judge=("${report[@]}" gate "$results" --output "$REPORT_DIR/diff.md")
if [[ -n "${BASELINE:-}" && -f "$BASELINE" ]]; then
    echo "ci-gate: judging the run against the baseline $BASELINE"
    judge+=(--baseline "$BASELINE")
else
    echo "ci-gate: no baseline results.json${BASELINE:+ at $BASELINE}; every failing item counts"
fi
"${judge[@]}"
gate_status=$?
if [[ $gate_status -eq 1 ]]; then
    echo "ci-gate: FAILED: regressions (listed above, and in $REPORT_DIR/diff.md)" >&2
    exit 1
fi
if [[ $gate_status -ne 0 ]]; then
    echo "ci-gate: the report tool could not judge $results (exit $gate_status)" >&2
    exit 2
fi
if [[ $run_status -ge 2 ]]; then  # never pass on a suite that did not finish, whatever results.json says
    echo "ci-gate: FAILED: the suite exited with status $run_status: the run did not complete" >&2
    exit 1
fi
if [[ $run_status -eq 1 ]]; then
    echo "ci-gate: passed: the suite's failures are all known (still failing in the baseline, or not run there)"
else
    echo "ci-gate: passed"
fi
exit 0
