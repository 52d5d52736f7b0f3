"""Entries that keep a memory of past samples: they replay it, constrain the gradient with it,
distil on it, or classify with it. Memory sizes default to 200 samples (the default preset's
replay) where the paper's size is for larger data; docs/strategies.md gives each paper's value."""

from __future__ import annotations

from forgetless.strategy_specs.spec import (
    NAIVE,
    ParamSpec,
    StrategySpec,
    count,
    fraction,
    penalty,
    positive,
)

_MEMORY = "samples in the memory"
_MEMORY_BATCH = "memory samples replayed with each minibatch"
_DOOR = "forgetless.avalanche.strategy_models"

ENTRIES = (
    StrategySpec(
        name="replay",
        avalanche_class=NAIVE,
        paper="Experience Replay for Continual Learning",
        params={"mem_size": count(200, "samples in the replay buffer")},
        relative_time=1.5,
        plugin="forgetless.avalanche.replay_plugin:QuietReplayPlugin",
        plugin_params=("mem_size",),
        rule_ok=True,
    ),
    StrategySpec(
        name="agem",
        avalanche_class="avalanche.training:AGEM",
        paper="Efficient Lifelong Learning with A-GEM",
        params={
            "patterns_per_exp": count(250, "memory samples kept from each experience"),
            "sample_size": count(256, "memory samples in the reference gradient"),
        },
        relative_time=3.5,
    ),
    StrategySpec(
        name="gem",
        avalanche_class="avalanche.training:GEM",
        paper="Gradient Episodic Memory for Continual Learning",
        params={
            "patterns_per_exp": count(256, "memory samples kept from each experience"),
            "memory_strength": penalty(0.5, "margin gamma added to the projected gradient"),
        },
        relative_time=4.0,
    ),
    StrategySpec(
        name="gdumb",
        avalanche_class="avalanche.training:GDumb",
        paper="GDumb: A Simple Approach that Questions Our Progress in Continual Learning",
        # 200 (the replay preset's) reached LA 0.704 only; 500 learns: docs/strategies.md
        params={"mem_size": count(500, "class-balanced samples the model is retrained on")},
    ),
    StrategySpec(
        name="er_ace",
        avalanche_class="avalanche.training:ER_ACE",
        paper="New Insights on Reducing Abrupt Representation Change in Online Continual Learning",
        params={"mem_size": count(200, _MEMORY), "batch_size_mem": count(10, _MEMORY_BATCH)},
        loss_penalty=True,  # its asymmetric cross-entropy is the loss
    ),
    StrategySpec(
        name="er_aml",
        avalanche_class="avalanche.training:ER_AML",
        paper="New Insights on Reducing Abrupt Representation Change in Online Continual Learning",
        params={
            "mem_size": count(200, _MEMORY),
            "batch_size_mem": count(10, _MEMORY_BATCH),
            "temp": positive(0.1, "temperature of the metric-learning loss"),
            "base_temp": positive(0.07, "base temperature of the metric-learning loss"),
            "same_task_neg": ParamSpec(
                bool, default=True, meaning="negatives only from the incoming batch's task"
            ),
        },
        loss_penalty=True,
        builder=f"{_DOOR}:er_aml_arguments",
    ),
    StrategySpec(
        name="der",
        avalanche_class="avalanche.training:DER",
        paper="Dark Experience for General Continual Learning: a Strong, Simple Baseline",
        params={
            "mem_size": count(200, _MEMORY),
            "batch_size_mem": ParamSpec(
                int, 1, 1_000_000, optional=True, meaning=_MEMORY_BATCH + " (null: batch size)"
            ),
            "alpha": penalty(0.1, "weight of the logit-matching (MSE) loss"),
            "beta": penalty(0.5, "weight of the memory labels' loss (0: DER, > 0: DER++)"),
        },
        loss_penalty=True,
    ),
    StrategySpec(
        name="mir",
        avalanche_class="avalanche.training:MIR",
        paper="Online Continual Learning with Maximally Interfered Retrieval",
        params={
            "mem_size": count(200, _MEMORY),
            "subsample": count(50, "memory samples scored for interference"),
            "batch_size_mem": count(10, "most interfered samples replayed with each minibatch"),
        },
    ),
    StrategySpec(
        name="gss_greedy",
        avalanche_class="avalanche.training:GSS_greedy",
        paper="Gradient based sample selection for online continual learning",
        params={
            "mem_size": count(200, _MEMORY),
            "mem_strength": count(5, "memory samples whose gradients score a new sample"),
        },
        builder=f"{_DOOR}:gss_arguments",
        relative_time=2.0,
    ),
    StrategySpec(
        name="icarl",
        avalanche_class="avalanche.training:ICaRL",
        paper="iCaRL: Incremental Classifier and Representation Learning",
        params={
            "memory_size": count(200, "exemplars, herded per class"),
            "fixed_memory": ParamSpec(
                bool,
                default=True,
                meaning="memory_size in all (true) or memory_size per class (false)",
            ),
        },
        loss_penalty=True,  # sigmoid distillation on the old classes
        builder=f"{_DOOR}:icarl_arguments",
        refusal="Avalanche 0.6's ICaRL reads experience.benchmark (n_classes_per_exp, "
        "classes_order), which the experiences forgetless builds (benchmark_from_datasets) "
        "do not have, and collates its int labels with forgetless's tensor labels",
    ),
    StrategySpec(
        name="bic",
        avalanche_class="avalanche.training:BiC",
        paper="Large Scale Incremental Learning",
        params={
            "mem_size": count(200, _MEMORY),
            "val_percentage": fraction(0.1, "share of the memory held out to fit the bias layer"),
            "T": count(2, "distillation temperature"),
            "stage_2_epochs": count(200, "epochs fitting the bias layer"),
            "lamb": ParamSpec(
                float,
                -1.0,
                1.0,
                default=-1.0,
                meaning="weight of distillation vs classification (-1: old/seen classes)",
            ),
            "lr": positive(0.1, "learning rate of the bias layer", high=10.0),
        },
        loss_penalty=True,  # distillation on the old classes
        refusal="Avalanche 0.6's BiC assigns experience.dataset, which the experiences "
        "forgetless builds (benchmark_from_datasets) do not allow",
    ),
    StrategySpec(
        name="cope",
        avalanche_class=f"{_DOOR}:PredictingCoPE",  # CoPE, its predictions read first
        paper="Continual Prototype Evolution: Learning Online from Non-Stationary Data Streams",
        params={
            "mem_size": count(200, _MEMORY),
            "alpha": fraction(0.99, "momentum of the prototypes' moving average"),
            "T": positive(0.1, "softmax temperature (concentration)"),
        },
        loss_penalty=True,  # its pseudo-prototypical proxy loss replaces the criterion
        builder=f"{_DOOR}:cope_arguments",
        refusal="CoPE did not learn here (LA 0.090 on the preset's experiences, 0.074 in "
        "streaming mode, with its predictions read first); not diagnosed yet",
    ),
    StrategySpec(
        name="mer",
        avalanche_class="avalanche.training:MER",
        paper="Learning to Learn without Forgetting by Maximizing Transfer and Minimizing "
        "Interference",
        params={
            "mem_size": count(200, _MEMORY),
            "batch_size_mem": count(10, _MEMORY_BATCH),
            # Avalanche's 5 / 0.1 / 0.1 moved the weights too little (LA 0.626): docs/strategies.md
            "n_inner_steps": count(1, "inner (Reptile) steps per minibatch"),
            "beta": fraction(1.0, "within-batch meta step size"),
            "gamma": fraction(0.5, "across-batch meta step size"),
        },
        relative_time=6.0,
    ),
)
