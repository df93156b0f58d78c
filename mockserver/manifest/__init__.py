"""Manifest validation for CreateJob and UpdateJob: YAML reading, field, address and customs rules."""
