"""Reference mock endpoint of the AWS Import/Export 2010-06-01 Query API (see docs/contract.md)."""
