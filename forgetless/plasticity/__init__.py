"""Plasticity monitors (core, plain torch): dormant units, effective rank, weight magnitude and
change, measured per layer on a fixed probe batch (:class:`PlasticityMonitor`). Definitions and
decisions: docs/plasticity.md."""

from forgetless.plasticity.dormant import dormant_unit_fraction, tau_dormant_ratio
from forgetless.plasticity.monitor import PlasticityMonitor
from forgetless.plasticity.probe import activation_modules, probe_outputs
from forgetless.plasticity.rank import effective_rank, srank
from forgetless.plasticity.weights import weight_change, weight_magnitude

__all__ = [
    "PlasticityMonitor",
    "activation_modules",
    "dormant_unit_fraction",
    "effective_rank",
    "probe_outputs",
    "srank",
    "tau_dormant_ratio",
    "weight_change",
    "weight_magnitude",
]
