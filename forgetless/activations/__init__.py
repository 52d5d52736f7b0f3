"""forgetless.activations: sparse and adaptive activations, a name registry, and module swapping.

One file per activation (``elephant``, ``learnable_elephant``, ``tempered_sigmoid``, ``ash``
with Hard ASH, ``apa`` with AGLU): a pure-PyTorch ``*_reference`` (the definition, used on CPU,
float64 and when kernels are off), a public functional routed through
:func:`forgetless.kernels.dispatch.dispatch`, an ``nn.Module``, and at its end ``SPECS``, the
:class:`~.spec.ActivationSpec` declaring its name, registry defaults, parameter meanings, fused
kernel and per-sample gradient. :mod:`.registry` collects the specs (:mod:`.torch_activations`
holds torch's own); docs/activations.md shows how to add one.

Helper modules: :mod:`.reference_inputs` (compute dtype, per-channel parameter views and the
``input_norm`` standardisation, which :mod:`forgetless.privacy` uses too), :mod:`.parameters`
(weight-decay groups); private: ``_lazy_per_channel`` (per-channel parameters sized on the first
forward). The argument checks are :mod:`forgetless.checks`.

Swapping (``swap_activations``, ``SwapReport``): the subpackage :mod:`.swap` (docs/swap.md).
"""

from .apa import AGLU, APA, aglu, aglu_reference, apa, apa_reference
from .ash import ASH, HardASH, ash, ash_reference, hard_ash, hard_ash_reference
from .elephant import Elephant, elephant, elephant_reference
from .learnable_elephant import (
    LearnableElephant,
    learnable_elephant,
    learnable_elephant_reference,
)
from .parameters import activation_parameters, weight_decay_groups
from .registry import (
    activation_specs,
    available_activations,
    get_activation,
    register_activation,
    unregister_activation,
)
from .spec import ActivationSpec
from .swap import SwapReport, swap_activations
from .tempered_sigmoid import TemperedSigmoid, tempered_sigmoid, tempered_sigmoid_reference

__all__ = [
    "AGLU",
    "APA",
    "ASH",
    "ActivationSpec",
    "Elephant",
    "HardASH",
    "LearnableElephant",
    "SwapReport",
    "TemperedSigmoid",
    "activation_parameters",
    "activation_specs",
    "aglu",
    "aglu_reference",
    "apa",
    "apa_reference",
    "ash",
    "ash_reference",
    "available_activations",
    "elephant",
    "elephant_reference",
    "get_activation",
    "hard_ash",
    "hard_ash_reference",
    "learnable_elephant",
    "learnable_elephant_reference",
    "register_activation",
    "swap_activations",
    "tempered_sigmoid",
    "tempered_sigmoid_reference",
    "unregister_activation",
    "weight_decay_groups",
]
