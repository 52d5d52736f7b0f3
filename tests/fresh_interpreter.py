"""What a statement imports, seen from a new interpreter (this one has imported everything)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable


def packages_loaded_after(statement: str, packages: Iterable[str]) -> list[str]:
    """Those of ``packages`` (top-level names) in ``sys.modules`` after running ``statement`` in
    a new interpreter, sorted."""
    wanted = sorted(set(packages))
    probe = (
        f"import json, sys\n{statement}\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({wanted!r}))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300
    )
    return json.loads(done.stdout.strip().splitlines()[-1])
