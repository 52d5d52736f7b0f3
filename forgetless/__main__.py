"""``python -m forgetless``: the ``forgetless`` command line."""

import sys

from forgetless.app.cli import main

sys.exit(main())
