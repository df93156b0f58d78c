"""Cases computed rather than written: from the botocore service model, and drawn by hypothesis (properties)."""
