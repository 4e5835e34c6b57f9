"""`python -m reader` runs the readmark command line."""

import sys

from reader.cli.main import main

sys.exit(main())
