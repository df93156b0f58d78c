"""Case files and what they mean: the case definitions, loading and schema validation, templating, data files."""
