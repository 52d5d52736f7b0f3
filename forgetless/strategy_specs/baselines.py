"""The reference entries: fine-tuning (the lower bound), cumulative and joint training (the upper
bound), and training from scratch at every experience."""

from __future__ import annotations

from forgetless.strategy_specs.spec import NAIVE, ParamSpec, StrategySpec

ENTRIES = (
    StrategySpec(
        name="naive",
        avalanche_class=NAIVE,
        paper="",  # fine-tuning: no protection against forgetting (the lower bound)
        private_ok=True,
        streaming_ok=True,
        rule_ok=True,
    ),
    StrategySpec(
        name="cumulative",
        avalanche_class="avalanche.training:Cumulative",
        paper="",  # at experience k, train on experiences 1..k (a reference, no paper)
        relative_time=3.0,
    ),
    StrategySpec(
        name="joint",
        avalanche_class="avalanche.training:JointTraining",
        paper="",  # i.i.d. training on the union of the experiences: the upper bound
        upper_bound=True,
        rule_ok=True,  # the cell runner's one train call on the union, whatever trains
    ),
    StrategySpec(
        name="from_scratch",
        avalanche_class="avalanche.training:FromScratchTraining",
        paper="",  # re-initialise the model before each experience (a reference, no paper)
        params={
            "reset_optimizer": ParamSpec(
                bool, default=True, meaning="also reset the optimizer's state at each experience"
            )
        },
    ),
)
