"""Plasticity (core, plain torch): monitors — dormant units, effective rank, weight magnitude and
change, per layer on a fixed probe batch (:class:`PlasticityMonitor`) — and interventions that
restore plasticity: :class:`ContinualBackprop`, :class:`ReDo`, :class:`ShrinkPerturb` (each
stepped after the optimizer's step). Definitions and decisions: docs/plasticity.md."""

from forgetless.plasticity.continual_backprop import ContinualBackprop
from forgetless.plasticity.dormant import dormant_unit_fraction, tau_dormant_ratio
from forgetless.plasticity.monitor import PlasticityMonitor
from forgetless.plasticity.probe import activation_modules, probe_outputs
from forgetless.plasticity.rank import effective_rank, srank
from forgetless.plasticity.redo import ReDo
from forgetless.plasticity.shrink_perturb import ShrinkPerturb
from forgetless.plasticity.weights import weight_change, weight_magnitude

__all__ = [
    "ContinualBackprop",
    "PlasticityMonitor",
    "ReDo",
    "ShrinkPerturb",
    "activation_modules",
    "dormant_unit_fraction",
    "effective_rank",
    "probe_outputs",
    "srank",
    "tau_dormant_ratio",
    "weight_change",
    "weight_magnitude",
]
