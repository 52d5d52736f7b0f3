"""Entries that keep a network plastic rather than protect what it learned: they reset or perturb
units during plain fine-tuning (the plasticity interventions of :mod:`forgetless.plasticity`,
appended as plugins of :mod:`forgetless.avalanche.plasticity_plugins`). Defaults: the papers'
Permuted-MNIST configurations (docs/plasticity.md)."""

from __future__ import annotations

from forgetless.strategy_specs.spec import NAIVE, ParamSpec, StrategySpec, count, penalty

_PLUGINS = "forgetless.avalanche.plasticity_plugins"

ENTRIES = (
    StrategySpec(
        name="continual_backprop",
        avalanche_class=NAIVE,
        paper="Loss of plasticity in deep continual learning",
        params={
            "replacement_rate": ParamSpec(
                float,
                0.0,
                1.0,
                default=1e-4,
                meaning="ρ: fraction of mature units replaced per step",
            ),
            "decay": ParamSpec(
                float,
                0.0,
                0.999999,
                default=0.99,
                meaning="η: decay of the running utility and mean",
            ),
            "maturity": count(100, "m: steps a unit lives before it can be replaced"),
            "per_entry_steps": ParamSpec(
                bool,
                default=True,
                meaning="Adam bias correction per replaced entry (the paper's AdamGnT)",
            ),
        },
        plugin=f"{_PLUGINS}:ContinualBackpropPlugin",
        plugin_params=("replacement_rate", "decay", "maturity", "per_entry_steps"),
        streaming_ok=True,
        relative_time=1.3,
    ),
    StrategySpec(
        name="redo",
        avalanche_class=NAIVE,
        paper="The Dormant Neuron Phenomenon in Deep Reinforcement Learning",
        params={
            "tau": ParamSpec(
                float, 0.0, 1.0, default=0.025, meaning="τ: dormancy threshold of the ReDo score"
            ),
            "every": count(1000, "steps between two resets"),
        },
        plugin=f"{_PLUGINS}:ReDoPlugin",
        plugin_params=("tau", "every"),
        streaming_ok=True,
        relative_time=1.1,
    ),
    StrategySpec(
        name="shrink_perturb",
        avalanche_class=NAIVE,
        paper="On Warm-Starting Neural Network Training",
        params={
            "weight_decay": penalty(1e-4, "λ: shrink by lr · λ after each step"),
            "sigma": ParamSpec(
                float, 0.0, 1.0, default=1e-5, meaning="σ of the noise added after each step"
            ),
        },
        plugin=f"{_PLUGINS}:ShrinkPerturbPlugin",
        plugin_params=("weight_decay", "sigma"),
        streaming_ok=True,
        relative_time=1.1,
    ),
)
