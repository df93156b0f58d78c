"""What a run writes and reads beside its verdicts: results.json, the coverage matrix, known deviations."""
