"""Entries that protect old experiences through the network's structure: consolidated
classifier weights (CWR*), pruned per-task subnetworks (PackNet), one column per task (PNN)."""

from __future__ import annotations

from forgetless.strategy_specs.spec import StrategySpec

ENTRIES = (
    StrategySpec(
        name="cwr_star",
        avalanche_class="avalanche.training:CWRStar",
        paper="Rehearsal-Free Continual Learning over Small Non-I.I.D. Batches",
        builder="forgetless.avalanche.strategy_models:cwr_arguments",
        relative_time=1.5,
    ),
    StrategySpec(
        name="packnet",
        avalanche_class="avalanche.training:PackNet",
        paper="PackNet: Adding Multiple Tasks to a Single Network by Iterative Pruning",
        refusal="PackNet selects a pruned subnetwork by task label at test time and needs "
        "Avalanche's PackNetModel around the network; not wired to forgetless's models",
    ),
    StrategySpec(
        name="pnn",
        avalanche_class="avalanche.training:PNNStrategy",
        paper="Progressive Neural Networks",
        refusal="PNN trains its own PNN model (one column per task label), not the grid's "
        "model, so its cells would not compare activations",
    ),
)
