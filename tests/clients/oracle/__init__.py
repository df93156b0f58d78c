"""The reader oracle: what five real SDKs read from a response document (issue 18, items 2-4)."""
