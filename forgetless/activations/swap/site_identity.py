"""Call-site identity: which functional activation call a swapped model is making.

A site is identified by the calling code (file name, function qualname, line), the innermost
running module of the model (its path) and the occurrence of that code location within that
module's call; the same code finds the same identities in another process, so a checkpoint's
per-site parameters load again. Frames of torch's dispatch plumbing and of the swap machinery
are skipped. See docs/swap.md ("Call-site identity").
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import torch.nn.functional as F
import torch.overrides

_HERE = Path(__file__).parent
_SKIPPED_FILES = {
    torch.overrides.__file__,
    F.__file__,
    str(_HERE / "site_identity.py"),
    str(_HERE / "call_sites.py"),
    str(_HERE / "mode.py"),
}


@dataclass(frozen=True)
class CallSite:
    """One functional activation call site, as the swap report shows it.

    ``key`` is its entry in ``model.forgetless_functional_sites``; ``function`` the dotted name
    of the function called; ``module`` the innermost running module's path (``""``: the model);
    ``calls`` the times the checked forward met it (its train and eval passes; 0 unchecked).
    """

    key: str
    function: str
    module: str
    file: str
    line: int
    qualname: str
    calls: int = 0

    def describe(self) -> str:
        """``function at file:line (qualname, in module 'path')``."""
        where = f"module {self.module!r}" if self.module else "the model"
        return f"{self.function} at {self.file}:{self.line} ({self.qualname}, in {where})"


@dataclass(frozen=True)
class Caller:
    """The code location of a call: file, line and function qualname."""

    file: str
    line: int
    qualname: str


def find_caller() -> Caller:
    """The first frame above the swap machinery and torch's dispatch plumbing."""
    frame = sys._getframe(1)
    while frame.f_back is not None and frame.f_code.co_filename in _SKIPPED_FILES:
        frame = frame.f_back
    code = frame.f_code
    return Caller(
        file=code.co_filename,
        line=frame.f_lineno,
        qualname=getattr(code, "co_qualname", code.co_name),
    )


def site_key(activation: str, module_path: str, caller: Caller, occurrence: int) -> str:
    """A stable ``nn.ModuleDict`` key (no dots): readable parts plus a digest of the identity."""
    identity = "|".join(
        (
            activation,
            module_path,
            Path(caller.file).name,
            caller.qualname,
            str(caller.line),
            str(occurrence),
        )
    )
    digest = hashlib.sha1(identity.encode()).hexdigest()[:8]
    where = module_path.replace(".", "_") or "model"
    return f"{activation}_{where}_line{caller.line}_{occurrence}_{digest}"
