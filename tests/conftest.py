"""Shared test set-up: a writable HOME (Avalanche writes ~/.avalanche on import), Agg plots."""

import os
import tempfile

os.environ.setdefault("MPLBACKEND", "Agg")
if not os.access(os.path.expanduser("~"), os.W_OK):
    os.environ["HOME"] = tempfile.mkdtemp(prefix="forgetless-home-")
