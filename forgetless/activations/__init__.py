"""forgetless.activations: sparse and adaptive activations, a name registry, and module swapping.

Each activation has a pure-PyTorch ``*_reference`` (the definition, used on CPU, float64 and
when kernels are off), a public functional routed through
:func:`forgetless.kernels.dispatch.dispatch`, and an ``nn.Module``; its name is declared once,
in :mod:`forgetless.kernels.names`.

Helper modules: :mod:`.reference_inputs` (compute dtype and per-channel parameter views of the
references, which :mod:`forgetless.privacy` uses too); private to this package:
``_argument_checks`` (the ``ValueError`` checks), ``_lazy_per_channel`` (per-channel parameters
sized on the first forward), ``_torch_factories`` (the torch activations in the registry).

Swapping (``swap_activations``, ``SwapReport``): the subpackage :mod:`.swap` (docs/swap.md).
"""

from .apa import AGLU, APA, aglu, aglu_reference, apa, apa_reference
from .ash import ASH, HardASH, ash, ash_reference, hard_ash, hard_ash_reference
from .elephant import (
    Elephant,
    LearnableElephant,
    elephant,
    elephant_reference,
    learnable_elephant,
    learnable_elephant_reference,
)
from .parameters import activation_parameters, weight_decay_groups
from .registry import (
    available_activations,
    get_activation,
    register_activation,
    unregister_activation,
)
from .swap import SwapReport, swap_activations
from .tempered_sigmoid import TemperedSigmoid, tempered_sigmoid, tempered_sigmoid_reference

__all__ = [
    "AGLU",
    "APA",
    "ASH",
    "Elephant",
    "HardASH",
    "LearnableElephant",
    "SwapReport",
    "TemperedSigmoid",
    "activation_parameters",
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
