"""Opacus grad samplers for the learnable activations, read from their specs.

Each :class:`~forgetless.activations.spec.ActivationSpec` with parameters names its per-sample
gradient as ``"module:function"`` (``per_sample_gradient``); :func:`register_grad_samplers`
registers that function with Opacus for the spec's module class. :mod:`forgetless.privacy` calls
it on import, so a new learnable activation needs no line here.
"""

from __future__ import annotations

from forgetless.activations import activation_specs
from forgetless.resolve import resolve


def register_grad_samplers() -> list[str]:
    """Register every built-in spec's ``per_sample_gradient`` with Opacus; the names registered."""
    from opacus.grad_sample import register_grad_sampler

    registered = []
    for spec in activation_specs():
        if spec.per_sample_gradient is not None:
            register_grad_sampler(spec.module)(resolve(spec.per_sample_gradient))
            registered.append(spec.name)
    return registered
