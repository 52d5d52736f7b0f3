"""Entries that protect old experiences with a term added to the loss (a penalty on parameter
changes, or distillation of the previous model's outputs or features)."""

from __future__ import annotations

from typing import Any

from forgetless.strategy_specs.spec import ParamSpec, StrategySpec, penalty, positive


def _ewc_mode_and_decay(checked: dict[str, Any]) -> None:
    """``mode="online"`` needs a ``decay_factor``; ``mode="separate"`` refuses one."""
    if (checked["mode"] == "online") != (checked["decay_factor"] is not None):
        raise ValueError(
            f"strategy_params.ewc.decay_factor: mode {checked['mode']!r} needs "
            + ("a decay_factor in (0, 1]" if checked["mode"] == "online" else "decay_factor=null")
            + f", got {checked['decay_factor']!r}"
        )


ENTRIES = (
    StrategySpec(
        name="ewc",
        avalanche_class="avalanche.training:EWC",
        paper="Overcoming catastrophic forgetting in neural networks",
        params={
            "ewc_lambda": penalty(1000.0, "weight of the quadratic penalty"),
            "mode": ParamSpec(
                str,
                choices=("separate", "online"),
                default="separate",
                meaning="one penalty per experience, or one running Fisher estimate",
            ),
            "decay_factor": ParamSpec(
                float,
                0.0,
                1.0,
                open_low=True,
                optional=True,
                meaning="online mode's decay of the old Fisher estimate",
            ),
        },
        loss_penalty=True,
        relative_time=2.0,
        check=_ewc_mode_and_decay,
    ),
    StrategySpec(
        name="si",
        avalanche_class="avalanche.training:SynapticIntelligence",
        paper="Continual Learning Through Synaptic Intelligence",
        params={"si_lambda": penalty(1.0, "weight of the surrogate loss")},
        loss_penalty=True,
        relative_time=1.6,
    ),
    StrategySpec(
        name="lwf",
        avalanche_class="avalanche.training:LwF",
        paper="Learning without Forgetting",
        params={
            "alpha": penalty(1.0, "weight of the distillation loss"),
            "temperature": positive(2.0, "softmax temperature"),
        },
        loss_penalty=True,
        relative_time=1.2,
    ),
    StrategySpec(
        name="mas",
        avalanche_class="avalanche.training:MAS",
        paper="Memory Aware Synapses: Learning what (not) to forget",
        params={
            # Avalanche's 1.0 diverged at SGD lr 0.05 (LA 0.389); 0.1 learns: docs/strategies.md
            "lambda_reg": penalty(0.1, "weight of the importance-weighted penalty"),
            "alpha": ParamSpec(
                float,
                0.0,
                1.0,
                default=0.5,
                meaning="weight of the old importance in its running average",
            ),
        },
        loss_penalty=True,
    ),
    StrategySpec(
        name="lfl",
        avalanche_class="avalanche.training:LFL",
        paper="Less-forgetting Learning in Deep Neural Networks",
        params={"lambda_e": penalty(1.0, "weight of the feature (Euclidean) distance loss")},
        loss_penalty=True,
        builder="forgetless.avalanche.strategy_models:lfl_arguments",
    ),
)
