"""What a swap replaced, and where: :class:`SwapReport` (returned by ``swap_activations``).

The report lists the held modules that were replaced (by path), which of them the checked
forward saw running (a held module that the forward never calls is *unused*: swapping it
changed nothing), and the functional call sites (function, ``file:line``, enclosing function,
innermost module, calls met by the checked forward). ``str(report)`` is the summary the doors log once;
:meth:`SwapReport.to_dict` is plain data for logs and checkpoints.

A report is also the sequence of replaced module paths (``list(report)``, ``len(report)``,
``report[0]``, ``report == ["features.1"]``), so code written against the earlier return value
of ``swap_activations`` (a ``list[str]`` of replaced names) keeps working.

Without an example input no forward is checked (``checked=False``): module usage is unknown
and call sites appear in ``calls`` as the model's forwards meet them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ._call_sites import CallSite


@dataclass(eq=False)
class SwapReport:
    """The outcome of one :func:`~forgetless.activations.swap_activations` call."""

    activation: str
    modules: list[str]
    calls: list[CallSite] = field(default_factory=list)
    module_calls: dict[str, int] = field(default_factory=dict)
    checked: bool = False
    functional: bool = True

    def __iter__(self) -> Iterator[str]:
        return iter(self.modules)

    def __len__(self) -> int:
        return len(self.modules)

    def __getitem__(self, index: int) -> str:
        return self.modules[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SwapReport):
            return self.to_dict() == other.to_dict()
        if isinstance(other, (list, tuple)):
            return list(self.modules) == list(other)
        return NotImplemented

    __hash__ = None  # mutable, like the list it stands for

    @property
    def unused(self) -> list[str]:
        """Replaced held modules that the checked forward never called (empty if unchecked)."""
        if not self.checked:
            return []
        return [path for path in self.modules if self.module_calls.get(path, 0) == 0]

    @property
    def call_keys(self) -> list[str]:
        """The call sites' keys in ``model.forgetless_functional_sites``, in order met."""
        return [site.key for site in self.calls]

    def to_dict(self) -> dict:
        """Plain data: activation, modules, unused, call sites, checked."""
        return {
            "activation": self.activation,
            "modules": list(self.modules),
            "unused": self.unused,
            "calls": [
                {
                    "key": s.key,
                    "function": s.function,
                    "module": s.module,
                    "file": s.file,
                    "line": s.line,
                    "qualname": s.qualname,
                    "calls": s.calls,
                }
                for s in self.calls
            ],
            "checked": self.checked,
        }

    def __str__(self) -> str:
        used = [p for p in self.modules if p not in self.unused]
        lines = [
            f"forgetless swap to {self.activation}: {len(used)} held module(s), "
            f"{len(self.calls)} call site(s)"
            + ("" if self.checked else " (no checked forward: call sites are found as met)")
        ]
        lines += [f"  module {path}" for path in used]
        lines += [f"  unused (held, never called): {path}" for path in self.unused]
        lines += [f"  call {site.describe()}" for site in self.calls]
        if not self.functional:
            lines.append("  functional=False: calls such as F.relu(x) are not swapped")
        return "\n".join(lines)
