"""Structured configs (omegaconf dataclasses) for ``forgetless compare``.

A run's config is: these defaults, then a preset from ``presets/<name>.yaml``, then the user's
``key=value`` overrides. omegaconf checks keys and types; :mod:`forgetless.app.configs.validate` checks
values (names, ranges) and turns every failure into one line naming the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ScenarioConfig:
    """Which stream of experiences to learn.

    ``name``: an entry of :data:`forgetless.scenario_specs.SCENARIOS` (its classes and accepted
    ``source`` values; CIFAR from ``root``: the folder holding ``cifar-10-batches-py/`` or
    ``cifar-100-python/``). ``streaming``: one pass in small batches with no task-boundary signal
    to the learner, enforced as ``train.epochs = 1`` and streaming-ok strategies only (see
    docs/scenarios.md).

    ``validation_fraction``: f in [0, 0.5): hold out f of each experience's training data
    (class-stratified, seeded by the scenario's seed, :mod:`forgetless.scenarios.validation`);
    training never sees it. 0 (default) holds out nothing. ``evaluate_on``: test | validation:
    the stream the accuracy matrix, ACC, LA and forgetting are measured on (validation needs
    f > 0); results.json and summary.md say which.
    """

    name: str = "split_mnist"
    n_experiences: int = 5
    task_incremental: bool = False
    streaming: bool = False
    source: str = "auto"
    root: str | None = None
    class_order: list[int] | None = None
    seed: int = 0
    validation_fraction: float = 0.0
    evaluate_on: str = "test"


@dataclass
class ModelConfig:
    """``kind``: one of :data:`forgetless.models.factory.MODEL_KINDS` (mlp | cnn |
    reduced_resnet18, nf = 20 | random_conv: frozen random conv features from the run seed + a linear
    output layer). ``normalized``: centred, L2-normalised weight rows (Hard ASH recipe)."""

    kind: str = "mlp"
    hidden: list[int] = field(default_factory=lambda: [400])
    bias: bool = True
    normalized: bool = False


@dataclass
class OptimizerConfig:
    """``name``: sgd | adam | adamw | adagrad."""

    name: str = "sgd"
    lr: float = 0.05
    momentum: float = 0.0
    weight_decay: float = 0.0
    initial_accumulator_value: float = 0.0


@dataclass
class TrainConfig:
    """``keep_optimizer_state``: carry optimizer state across experiences. ``update_clip``: clip
    each optimizer update element-wise to ±value (Hard ASH recipe), null for none.
    ``evaluate``: all | current: after experience i, evaluate every experience (the full
    accuracy matrix) or only experience i, then every experience once after the last one (the
    diagonal and the last row; for long streams, docs/plasticity.md)."""

    batch_size: int = 32
    epochs: int = 1
    eval_batch_size: int = 500
    keep_optimizer_state: bool = False
    update_clip: float | None = None
    device: str = "cpu"
    evaluate: str = "all"


@dataclass
class RuleTrainConfig:
    """How one rule trains, over its recipe (:mod:`forgetless.rules.entry`); null = the recipe's
    value, else the shared ``optimizer`` / ``train`` section's.

    ``epochs``: epochs per experience (null: enough for the recipe's ``min_steps``, at least
    ``train.epochs``). ``optimizer``: sgd | adam | adamw, with ``lr``, ``weight_decay``,
    ``momentum`` (sgd). Example: ``rule_train.forward_forward.epochs=20``.
    """

    epochs: int | None = None
    optimizer: str | None = None
    lr: float | None = None
    weight_decay: float | None = None
    momentum: float | None = None


@dataclass
class PrivacyConfig:
    """DP-SGD through Opacus ("Tempered Sigmoid Activations for Deep Learning with Differential
    Privacy", Papernot et al.). ``enabled=true`` trains every cell privately; give
    ``target_epsilon`` (noise calibrated for all steps of the whole stream) or
    ``noise_multiplier`` (set the other to null). ε is accounted over the whole stream."""

    enabled: bool = False
    target_epsilon: float | None = 3.0
    noise_multiplier: float | None = None
    delta: float = 1e-5
    max_grad_norm: float = 1.0
    accountant: str = "rdp"


@dataclass
class LauncherConfig:
    """Where the grid's cells run; results do not depend on it (see docs/scaling.md).

    ``kind``: local | ray. ``jobs``: cells at once (local: worker processes, 1 = in this process;
    ray without ``address``: the local Ray instance gets ``jobs × cpus_per_cell`` CPUs).
    ``threads``: torch intra-op threads per cell (the same everywhere, so matrices are
    bit-identical with 1 or N workers on CPU). ``address``: a Ray cluster to join (``auto`` or
    ``host:port``). ``cpus_per_cell`` / ``gpus_per_cell``: each Ray task's request (GPUs null:
    one per cell when the cells run on CUDA, else none)."""

    kind: str = "local"
    jobs: int = 1
    threads: int = 1
    address: str | None = None
    cpus_per_cell: float = 1.0
    gpus_per_cell: float | None = None


@dataclass
class HeadConfig:
    """What a grid head (``heads=[none, slda, ncm]``; ``none``: the network's own output layer)
    reads and how.

    ``features``: the cell's model (its activation, its rule) cut before its output layer,
    ``init``: frozen at initialisation (random features); ``first_experience``: trained on the
    first experience by the cell's rule/strategy, then frozen; ``online``: trained on every
    experience as usual while the head reads the current features of each training batch (the
    head never re-estimates what it stored: docs/heads.md). ``shrinkage``: streaming LDA's ``s``."""

    features: str = "first_experience"
    shrinkage: float = 0.01


@dataclass
class ReferencesConfig:
    """The reference rows every comparison adds (docs/heads.md, "Reference rows").

    ``joint``: one joint-training cell per (rule, activation, seed): the same model, optimizer and
    epochs trained once on the union of the experiences, the upper bound each cell's ACC is
    divided by (``acc_vs_joint``) and its intransigence is measured against. ``heads``: closed-form
    streaming heads, one cell per seed, independent of the grid's model: ``slda_pixels`` /
    ``ncm_pixels`` read the scenario's standardised inputs, ``slda_random`` / ``ncm_random`` a
    fixed random ReLU map of ``random_features`` units, ``slda_conv`` / ``ncm_conv`` fixed random
    conv features (64 filters 5 x 5, ReLU, 4 x 4 max pooling). ``shrinkage``: streaming LDA's
    ``s``. ``joint_steps``: the joint cell's step budget, ``cumulative`` (cumulative training's
    steps, ``epochs x sum_k ceil(|D_1..k| / batch)``) or ``stream`` (one sequential run's,
    ``epochs x ceil(N / batch)``)."""

    joint: bool = True
    joint_steps: str = "cumulative"
    heads: list[str] = field(default_factory=lambda: ["slda_pixels", "ncm_pixels", "slda_random"])
    random_features: int = 2000
    shrinkage: float = 0.01


@dataclass
class MonitorsConfig:
    """``plasticity``: measure the plasticity monitors (docs/plasticity.md) in every grid cell
    with the network's own output layer, on the first ``probe_size`` training inputs of the
    experience being trained, at the stream's start, every ``every_n_steps`` iterations and
    after each experience. The record keeps the history (``plasticity_monitor``) and its means
    over the first and last tenth of the stream; with ``loggers`` every value is also logged as
    ``plasticity/<layer>/<metric>`` at the global step.

    ``streaming_accuracy``: every such cell also scores each training minibatch before learning
    it (prequential accuracy, ``prequential_acc``) and, every ``anytime_every_n_steps``
    iterations, the pooled accuracy on the evaluation data of the experiences seen so far
    (``anytime_accuracy``: ``[step, accuracy]`` pairs; docs/plasticity.md)."""

    plasticity: bool = False
    every_n_steps: int = 100
    probe_size: int = 1000
    streaming_accuracy: bool = False
    anytime_every_n_steps: int = 50


@dataclass
class CompareConfig:
    """One comparison: the grid activations x rules x strategies x seeds on one scenario.

    ``loggers``: any of tensorboard, csv, wandb; each cell then logs the continual scalars
    (``continual/*``, ``accuracy/experience_<j>``, ``train/loss``) under ``<run>/logs/``.

    Backprop cells train with ``optimizer`` and ``train``. Every other rule trains at its recipe
    (:mod:`forgetless.rules.entry`: constructor options, optimizer, steps per experience);
    ``rule_params.<rule>.<option>`` and ``rule_train.<rule>.<setting>`` override it.
    """

    preset: str = "split_mnist"
    activations: list[str] = field(
        default_factory=lambda: ["relu", "elephant", "hard_ash", "tempered_sigmoid", "aglu"]
    )
    activation_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    rules: list[str] = field(default_factory=lambda: ["backprop"])
    rule_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    rule_train: dict[str, RuleTrainConfig] = field(default_factory=dict)
    strategies: list[str] = field(default_factory=lambda: ["naive"])
    strategy_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    heads: list[str] = field(default_factory=lambda: ["none"])
    head: HeadConfig = field(default_factory=HeadConfig)
    references: ReferencesConfig = field(default_factory=ReferencesConfig)
    seeds: list[int] = field(default_factory=lambda: [0])
    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    launcher: LauncherConfig = field(default_factory=LauncherConfig)
    monitors: MonitorsConfig = field(default_factory=MonitorsConfig)
    output_dir: str = "runs"
    run_name: str | None = None
    progress: bool = True
    loggers: list[str] = field(default_factory=list)
