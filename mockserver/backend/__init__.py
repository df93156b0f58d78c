"""The backend: the job rules (`jobs.py`) over the SQLite store, the value types, status vocabulary and labels."""
