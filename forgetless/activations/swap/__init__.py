"""Swapping a model's activations: held modules and called functions (docs/swap.md).

:func:`swap_activations` is the entry point; the doors use :class:`SwapReport`, the target
names of a checkpoint (:func:`target_names`, :func:`targets_from_names`, :func:`split_targets`)
and :data:`CALL_SITES_ATTRIBUTE` (where the call sites' modules live on a swapped model).

Files: ``swapping`` (the steps), ``modules`` (held-module replacement) and ``sizing`` (lazy sizes
from the preceding layer), ``call_sites`` (the call-site modules and the hooks routing calls to
them), ``mode`` (the torch function mode), ``site_identity`` (which call a site is),
``targets`` (what ``target=`` names), ``factory`` (one new module per site),
``checked_forward`` (the example run), ``report`` (:class:`SwapReport`).
"""

from .call_sites import CALL_SITES_ATTRIBUTE
from .report import SwapReport
from .site_identity import CallSite
from .swapping import swap_activations
from .targets import split_targets, target_names, targets_from_names

__all__ = [
    "CALL_SITES_ATTRIBUTE",
    "CallSite",
    "SwapReport",
    "split_targets",
    "swap_activations",
    "target_names",
    "targets_from_names",
]
