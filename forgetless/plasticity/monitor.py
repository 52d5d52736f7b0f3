"""``PlasticityMonitor``: every plasticity metric of a model on a fixed probe batch, under the
logged names of :func:`forgetless.metrics.logged.plasticity_name`.

Per hidden layer (activation module, :mod:`.probe`): the τ-dormant ratios and Dohare's dormant
fraction (:mod:`.dormant`), the effective rank and ``srank_0.01`` (:mod:`.rank`); per weight layer:
the mean weight magnitude and the change since the monitor was built (:mod:`.weights`). The
dormant test of each activation is its spec's ``inactive`` (exactly 0 for classes without a spec).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from forgetless.activations.inactive import InactiveTest, exactly_zero
from forgetless.activations.registry import activation_specs
from forgetless.metrics.logged import plasticity_name
from forgetless.plasticity.dormant import dormant_unit_fraction, tau_dormant_ratio
from forgetless.plasticity.probe import ProbeForward, call_model, probe_outputs
from forgetless.plasticity.rank import effective_rank, srank
from forgetless.plasticity.weights import weight_change, weight_layers, weight_magnitude

TAUS = (0.0, 0.025)


def inactive_test(module: nn.Module) -> InactiveTest:
    """The ``inactive`` test of the spec whose module class is ``module``'s (else exactly 0)."""
    for spec in activation_specs():
        if type(module) is spec.module:
            return spec.inactive
    return exactly_zero


def hidden_metrics(
    module: nn.Module, h: torch.Tensor, taus: Sequence[float] = TAUS, delta: float = 0.01
) -> dict[str, float]:
    """The per-hidden-layer metrics of output ``h`` of activation ``module``, by metric name."""
    out = {f"tau_dormant_{tau:g}": tau_dormant_ratio(h, tau) for tau in taus}
    out["dormant_units"] = dormant_unit_fraction(module, h, inactive_test(module))
    out["effective_rank"] = effective_rank(h)
    out[f"srank_{delta:g}"] = float(srank(h, delta))
    return out


class PlasticityMonitor:
    """Measure a model's plasticity metrics on a fixed probe batch.

    Args:
        model: the network (its activation modules are the hidden layers).
        probe: the probe inputs, fixed for the whole stream (Dohare et al. use 1,000 samples;
            the ranks need at least as many samples as units to see every direction).
        taus: the τ of the τ-dormant ratios.
        delta: the δ of ``srank_δ``.
        forward: how to run ``model`` on the probe (default ``model(probe)``).

    Raises:
        ValueError: an empty probe, or (at :meth:`measure`) a model with no activation module.
    """

    def __init__(
        self,
        model: nn.Module,
        probe: torch.Tensor,
        *,
        taus: Sequence[float] = TAUS,
        delta: float = 0.01,
        forward: ProbeForward = call_model,
    ) -> None:
        if not isinstance(probe, torch.Tensor) or probe.dim() == 0 or probe.shape[0] == 0:
            raise ValueError("probe: expected a non-empty batch tensor (N, ...)")
        self.model = model
        self.probe = probe
        self.taus = tuple(taus)
        self.delta = delta
        self.forward = forward
        self.initial = {
            name: layer.weight.detach().clone() for name, layer in weight_layers(model).items()
        }

    def measure(self) -> dict[str, float]:
        """Every metric now, as ``{plasticity_name(layer, metric): value}``."""
        device = next((p.device for p in self.model.parameters()), self.probe.device)
        out: dict[str, float] = {}
        modules = dict(self.model.named_modules())
        for layer, h in probe_outputs(self.model, self.probe.to(device), self.forward).items():
            for metric, value in hidden_metrics(modules[layer], h, self.taus, self.delta).items():
                out[plasticity_name(layer, metric)] = value
        for layer, module in weight_layers(self.model).items():
            out[plasticity_name(layer, "weight_magnitude")] = weight_magnitude(module)
            if layer in self.initial:
                change = weight_change(module, self.initial[layer])
                out[plasticity_name(layer, "weight_change")] = change
        return out
