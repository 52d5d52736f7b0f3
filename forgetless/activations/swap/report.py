"""What a swap replaced, and where: :class:`SwapReport` (returned by ``swap_activations``)."""

from __future__ import annotations

from dataclasses import dataclass

from .site_identity import CallSite


@dataclass(frozen=True)
class SwapReport:
    """The outcome of one :func:`~forgetless.activations.swap_activations` call.

    Attributes:
        activation: the new activation (registry name or factory qualname).
        modules: paths of the replaced held modules, in registration order.
        unused: the replaced held modules the checked forward never called (swapping them
            changed nothing; empty when unchecked).
        calls: the functional call sites the checked forward met (empty when unchecked: the
            sites are then created as the model's forwards meet them).
        checked: whether the checked forward ran.
        functional: whether called activations are swapped (``functional=True``).
        unchecked_reason: why no forward was checked (``"no example input"``, ``"LitMLP has
            no forward"``; empty when checked).
    """

    activation: str
    modules: tuple[str, ...]
    unused: tuple[str, ...] = ()
    calls: tuple[CallSite, ...] = ()
    checked: bool = False
    functional: bool = True
    unchecked_reason: str = ""

    @property
    def call_keys(self) -> tuple[str, ...]:
        """The call sites' keys in ``model.forgetless_functional_sites``, in order met."""
        return tuple(site.key for site in self.calls)

    def summary(self) -> str:
        """The lines the doors log once: held modules, unused ones, call sites."""
        used = [path for path in self.modules if path not in self.unused]
        note = (
            ""
            if self.checked
            else f" (no checked forward: {self.unchecked_reason}; call sites are found as met)"
        )
        lines = [
            f"forgetless swap to {self.activation}: {len(used)} held module(s), "
            f"{len(self.calls)} call site(s){note}"
        ]
        lines += [f"  module {path}" for path in used]
        lines += [f"  unused (held, never called): {path}" for path in self.unused]
        lines += [f"  call {site.describe()}" for site in self.calls]
        if not self.functional:
            lines.append("  functional=False: calls such as F.relu(x) are not swapped")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
