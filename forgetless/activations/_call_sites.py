"""Call-site identity for functional activation calls met during a model's forward.

A call site is identified by where the call is made, read from the calling Python frame:

* the code: its file's name (not its directory, so the identity survives another checkout or
  virtual environment, and not its module's ``__name__``, which is ``__main__`` or
  ``__mp_main__`` for a script depending on how it was started), the function's qualified
  name and the line;
* the innermost module of the model whose ``forward`` is running (its path in the model,
  ``""`` for the model itself), so a block class that calls ``F.relu`` gets one site per block;
* the occurrence: how many times this code location was already met during the current call of
  that module (a loop ``for b in self.blocks: x = F.relu(b(x))`` gives one site per iteration).

The same model code run in another process finds the same identities, which is what makes a
checkpoint's per-site parameters load again on resume. Editing the model's code so that a call
moves to another line changes its identity (a resume then fails on unexpected state keys).

Frames of torch's dispatch plumbing (``torch.overrides``, ``torch.nn.functional``) and of
forgetless's swap machinery are skipped: the site is the line that called the activation.
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
    str(_HERE / "_call_sites.py"),
    str(_HERE / "functional_swap.py"),
    str(_HERE / "_swap_mode.py"),
}


@dataclass
class CallSite:
    """One functional activation call site, as the swap report shows it.

    ``calls``: times it was met during the checked forward (its train and eval passes).
    """

    key: str
    function: str
    module: str
    file: str
    line: int
    qualname: str
    calls: int = 0

    def describe(self) -> str:
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
