"""Upper bounds on every size in a compare config, checked before anything is allocated.

A value such as ``scenario.n_experiences=100000000`` or ``train.batch_size=10**20`` is well
typed, so omegaconf accepts it; without a bound it exhausts memory or fails deep inside a run.
The bounds (generous for this project's MNIST-sized scenarios, far below what would exhaust a
workstation):

- ``scenario.n_experiences``: at most the registry entry's ``max_experiences``
  (Permuted-MNIST: :data:`~forgetless.scenario_specs.MAX_PERMUTED_TASKS`, each task indexes the
  whole dataset); the split scenarios are bounded by their classes already.
- ``seeds``: at most :data:`MAX_SEEDS` seeds, each in ``[0, 2**63 - 1 - scenario.seed]``
  (their sum seeds ``torch.Generator``).
- ``train.batch_size``, ``train.eval_batch_size``: at most :data:`MAX_BATCH_SIZE`;
  ``train.epochs``: at most :data:`MAX_EPOCHS`.
- ``model.hidden``: at most :data:`MAX_LAYERS` layers of at most :data:`MAX_WIDTH` units, and
  the network each cell builds (counted on PyTorch's ``meta`` device, which allocates nothing)
  at most :data:`MAX_PARAMETERS` parameters.
- Integers inside ``activation_params`` / ``rule_params`` (``num_parameters``, ``embed_dim``,
  ...): at most :data:`MAX_PARAM_INT`; NoProp's number of blocks ``T`` at most 100 (the
  paper uses 10) and ``steps`` at most 10,000 (:data:`RULE_INT_LIMITS`).
- ``monitors.every_n_steps``, ``monitors.anytime_every_n_steps``: at most :data:`MAX_STEPS`; ``monitors.probe_size``: at most
  :data:`MAX_PROBE` inputs.
- What the data allow is checked once the data are loaded (:func:`check_stream_size`): the
  scenarios of all seeds index at most :data:`MAX_INDEXED_SAMPLES` samples.
"""

from __future__ import annotations

from typing import Any

from omegaconf import DictConfig, OmegaConf

from forgetless.app.configs.load import ConfigError
from forgetless.scenario_specs import SCENARIOS

MAX_SEEDS = 100
MAX_SEED = 2**63 - 1
MAX_BATCH_SIZE = 2**20
MAX_EPOCHS = 1000
MAX_LAYERS = 32
MAX_WIDTH = 2**16
MAX_PARAMETERS = 2**26
MAX_PARAM_INT = 2**20
RULE_INT_LIMITS = {"T": 100, "steps": 10_000}
MAX_INDEXED_SAMPLES = 50_000_000
MAX_STEPS = 10**9
MAX_PROBE = 100_000


def _at_most(key: str, value: int, low: int, high: int, what: str = "an integer") -> None:
    if not low <= value <= high:
        raise ConfigError(f"{key}: expected {what} in [{low}, {high:,}], got {value}")


def check_sizes(cfg: DictConfig) -> None:
    """Static bounds on the config's sizes (see the module docstring).

    Raises:
        ConfigError: the first size over its bound, naming the key.
    """
    sc = cfg.scenario
    _at_most("scenario.seed", sc.seed, 0, MAX_SEED)
    most = SCENARIOS[sc.name].max_experiences
    if most is not None:
        _at_most("scenario.n_experiences", sc.n_experiences, 1, most)
    if len(cfg.seeds) > MAX_SEEDS:
        raise ConfigError(f"seeds: expected at most {MAX_SEEDS} seeds, got {len(cfg.seeds)}")
    for seed in cfg.seeds:
        _at_most("seeds", seed, 0, MAX_SEED - sc.seed, "seeds (plus scenario.seed)")
    for key in ("batch_size", "eval_batch_size"):
        _at_most(f"train.{key}", cfg.train[key], 1, MAX_BATCH_SIZE)
    _at_most("train.epochs", cfg.train.epochs, 1, MAX_EPOCHS)
    _at_most("monitors.every_n_steps", cfg.monitors.every_n_steps, 1, MAX_STEPS)
    _at_most("monitors.probe_size", cfg.monitors.probe_size, 1, MAX_PROBE)
    _at_most("monitors.anytime_every_n_steps", cfg.monitors.anytime_every_n_steps, 1, MAX_STEPS)
    hidden = list(cfg.model.hidden)
    if not 1 <= len(hidden) <= MAX_LAYERS or not all(1 <= h <= MAX_WIDTH for h in hidden):
        raise ConfigError(
            f"model.hidden: expected 1 to {MAX_LAYERS} layer sizes, each in [1, {MAX_WIDTH:,}], "
            f"got {hidden}"
        )


def _integers(value: Any) -> list[int]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, list | tuple):
        return [n for item in value for n in _integers(item)]
    if isinstance(value, dict):
        return [n for item in value.values() for n in _integers(item)]
    return []


def check_param_ints(section: str, params: dict[str, Any]) -> None:
    """Every integer in ``params`` (also inside lists) is at most its limit.

    Args:
        section: the key ``params`` lies under (``activation_params.<name>``, ``rule_params.<name>``).
        params: the values.

    Raises:
        ConfigError: naming ``<section>.<key>`` and the limit.
    """
    for key, value in params.items():
        rule = section.startswith("rule_params")
        limit = RULE_INT_LIMITS.get(key, MAX_PARAM_INT) if rule else MAX_PARAM_INT
        for number in _integers(value):
            if abs(number) > limit:
                raise ConfigError(
                    f"{section}.{key}: expected integers of at most {limit:,}, got {number}"
                )


def _count(build: Any, *args: Any, **kwargs: Any) -> int:
    """Parameters of ``build(*args, **kwargs)``, built on the ``meta`` device (no memory)."""
    import torch
    from torch.nn.parameter import is_lazy

    with torch.device("meta"):
        module = build(*args, **kwargs)
    return sum(p.numel() for p in module.parameters() if not is_lazy(p))


def _params(section: DictConfig, name: str) -> dict[str, Any]:
    return dict(OmegaConf.to_container(section[name])) if name in section else {}


def _cell_parameters(cfg: DictConfig, rule: str, activation: str) -> int:
    from forgetless.activations import get_activation
    from forgetless.models import build_model
    from forgetless.rules import build_rule

    hidden = list(cfg.model.hidden)
    act_params = _params(cfg.activation_params, activation)
    if rule != "backprop":
        return _count(
            build_rule,
            rule,
            in_features=784,
            num_classes=10,
            hidden=hidden,
            activation=activation,
            activation_params=act_params,
            **_params(cfg.rule_params, rule),
        )
    spec = SCENARIOS[cfg.scenario.name]
    count = _count(
        build_model,
        cfg.model.kind,
        hidden=hidden,
        bias=cfg.model.bias,
        input_shape=spec.input_shape,
        num_classes=spec.num_classes,
    )
    # one activation module per hidden layer (lazy per-unit parameters are not counted)
    return count + _count(get_activation, activation, **act_params) * len(hidden)


def check_model_size(cfg: DictConfig) -> None:
    """Each cell's network has at most :data:`MAX_PARAMETERS` parameters (counted on ``meta``).

    Run after the values are known to be valid (the networks are built, not trained).

    Raises:
        ConfigError: naming ``model.hidden`` (and the rule) when a network is too large.
    """
    for rule in cfg.rules:
        for activation in cfg.activations:
            count = _cell_parameters(cfg, rule, activation)
            if count > MAX_PARAMETERS:
                key = "model.hidden" if rule == "backprop" else f"model.hidden (rule {rule})"
                raise ConfigError(
                    f"{key}: the network would have {count:,} parameters, over the limit of "
                    f"{MAX_PARAMETERS:,}; use fewer or narrower layers"
                )


def check_stream_size(samples_per_scenario: int, n_seeds: int) -> None:
    """The scenarios of all seeds index at most :data:`MAX_INDEXED_SAMPLES` samples together.

    Raises:
        ConfigError: naming ``seeds`` (or ``scenario.n_experiences`` for one seed).
    """
    total = samples_per_scenario * n_seeds
    if total > MAX_INDEXED_SAMPLES:
        key = "seeds" if n_seeds > 1 else "scenario.n_experiences"
        raise ConfigError(
            f"{key}: {n_seeds} scenario(s) of {samples_per_scenario:,} indexed samples each "
            f"({total:,} in all) exceed the limit of {MAX_INDEXED_SAMPLES:,}; use fewer seeds "
            "or experiences"
        )
