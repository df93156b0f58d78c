#!/usr/bin/env bash
# Conformance gate for an Import/Export implementation: run the suite, keep the reports, diff
# against the last run of the main branch. Both CI recipes beside this file call it; it runs the
# same on a workstation.
#
# Environment:
#   TARGET_CONFIG   target config YAML (endpoint_url, control_url, accounts, ...; docs/contract.md §1). Required.
#   DEVIATIONS      known-deviations YAML (--deviations); optional.
#   REPORT_DIR      where results.json, junit.xml, coverage.md, index.html and diff.md go (default: reports).
#   BASELINE        results.json of the last main-branch run; when the file exists, the gate is the diff
#                   (exit 1 when a case that passed there fails now); without it, the gate is the run itself.
#   SUITE_ARGS      extra options for the suite, e.g. "-m documented" or "--auth sigv4" (word-split).
#   SUITE_COMMAND   how to run the suite (default: importexport-conformance).
#   REPORT_COMMAND  how to run the report tool (default: importexport-report).
#
# Exit status: 0 the gate passed; 1 a regression against BASELINE, or (without one) a failing case;
# 2 the suite could not run (bad config, unreachable target, no case selected).
set -uo pipefail

: "${TARGET_CONFIG:?set TARGET_CONFIG to the target config YAML}"
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
if [[ $run_status -ne 0 && $run_status -ne 1 ]]; then
    echo "ci-gate: the suite could not run (exit $run_status); see the output above" >&2
    exit 2
fi
if [[ ! -f "$REPORT_DIR/results.json" ]]; then
    echo "ci-gate: the suite wrote no $REPORT_DIR/results.json" >&2
    exit 2
fi
$REPORT_COMMAND show "$REPORT_DIR/results.json"

if [[ -n "${BASELINE:-}" && -f "$BASELINE" ]]; then
    echo "ci-gate: diff against $BASELINE"
    $REPORT_COMMAND diff "$BASELINE" "$REPORT_DIR/results.json" --output "$REPORT_DIR/diff.md"
    diff_status=$?
    if [[ $diff_status -eq 1 ]]; then
        echo "ci-gate: FAILED: regressions against the main branch (listed above, and in $REPORT_DIR/diff.md)" >&2
    fi
    exit "$diff_status"
fi
echo "ci-gate: no baseline results.json${BASELINE:+ at $BASELINE}; the gate is the run itself"
exit "$run_status"
