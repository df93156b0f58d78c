"""`python -m mockserver`: the same command line as `importexport-mock`."""
from mockserver.cli import main

raise SystemExit(main())
