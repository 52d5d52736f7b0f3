"""Value checks for a merged compare config: names that exist, numbers in range.

omegaconf already rejected unknown keys and wrong types; this catches the rest before any
training starts, raising :class:`~forgetless.app.configs.load.ConfigError` with one line per problem.
"""

from __future__ import annotations

import math
from typing import Any

from omegaconf import DictConfig, OmegaConf

from forgetless.app.configs.load import ConfigError
from forgetless.strategy_specs import (
    PRIVATE_STRATEGIES,
    STRATEGY_DEFAULTS,
    STREAMING_STRATEGIES,
)

SCENARIOS = ("split_mnist", "split_fashion_mnist", "permuted_mnist")
SOURCES = ("auto", "idx", "debian", "torchvision", "embedded")
OPTIMIZERS = ("sgd", "adam", "adamw", "adagrad")
DEVICES = ("cpu", "cuda", "auto")


def _choice(key: str, value: Any, accepted: list[str] | tuple[str, ...]) -> None:
    if value not in accepted:
        raise ConfigError(f"{key}: expected one of {list(accepted)}, got {value!r}")


def _positive(key: str, value: float, *, allow_zero: bool = False) -> None:
    ok = value >= 0 if allow_zero else value > 0
    if not (math.isfinite(value) and ok):
        bound = ">= 0" if allow_zero else "> 0"
        raise ConfigError(f"{key}: expected a finite number {bound}, got {value!r}")


def _non_empty_unique(key: str, values: list[Any]) -> None:
    if not values:
        raise ConfigError(f"{key}: expected a non-empty list")
    if len(set(values)) != len(values):
        raise ConfigError(f"{key}: expected distinct entries, got {list(values)}")


def _check_params(section: str, params: dict[str, Any], known: list[str]) -> None:
    for name in params:
        if name not in known:
            raise ConfigError(f"{section}.{name}: unknown name; expected one of {known}")


def _check_rule_params(name: str, params: dict[str, Any]) -> None:
    """Build rule ``name`` with its recipe's options and ``params`` on a tiny network (every
    built-in scenario has 28×28 inputs and 10 classes) so a bad value fails here, before
    anything runs or is written."""
    from forgetless.rules import build_rule
    from forgetless.rules.recipes import recipe

    try:
        merged = {**recipe(name).params, **params}
        build_rule(name, in_features=784, num_classes=10, hidden=[8], **merged)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"rule_params.{name}: {str(error).splitlines()[0]}") from None


def _check_rule_train(name: str, section: DictConfig, streaming: bool) -> None:
    key = f"rule_train.{name}"
    if section.epochs is not None:
        if section.epochs < 1:
            raise ConfigError(f"{key}.epochs: expected an integer >= 1, got {section.epochs}")
        if streaming and section.epochs != 1:
            raise ConfigError(
                f"{key}.epochs: streaming is one pass; expected 1, got {section.epochs}"
            )
    if section.optimizer is not None:
        _choice(f"{key}.optimizer", section.optimizer, OPTIMIZERS)
    if section.lr is not None:
        _positive(f"{key}.lr", section.lr)
    for field in ("weight_decay", "momentum"):
        if section[field] is not None:
            _positive(f"{key}.{field}", section[field], allow_zero=True)


def privacy_settings(cfg: DictConfig) -> Any:
    """The :class:`~forgetless.privacy.PrivacySettings` of ``cfg.privacy`` (ConfigError if bad)."""
    from forgetless.privacy import PrivacySettings

    section = {k: v for k, v in OmegaConf.to_container(cfg.privacy).items() if k != "enabled"}
    try:
        return PrivacySettings.from_mapping(section)
    except ValueError as error:
        raise ConfigError(str(error).splitlines()[0]) from None


def validate(cfg: DictConfig) -> None:
    """Raise :class:`ConfigError` for the first invalid value in ``cfg``."""
    from forgetless.activations import available_activations, get_activation
    from forgetless.rules import list_rules

    activations = available_activations()
    strategies = sorted(STRATEGY_DEFAULTS)
    rules = list_rules()

    _non_empty_unique("activations", list(cfg.activations))
    for name in cfg.activations:
        _choice("activations", name, activations)
    _non_empty_unique("strategies", list(cfg.strategies))
    for name in cfg.strategies:
        _choice("strategies", name, strategies)
    _non_empty_unique("rules", list(cfg.rules))
    for name in cfg.rules:
        _choice("rules", name, rules)
    _non_empty_unique("seeds", list(cfg.seeds))

    _check_params("activation_params", cfg.activation_params, activations)
    for name, params in cfg.activation_params.items():
        try:
            get_activation(name, **OmegaConf.to_container(params))
        except (TypeError, ValueError) as error:
            raise ConfigError(f"activation_params.{name}: {error}") from None
    _check_params("strategy_params", cfg.strategy_params, strategies)
    for name, params in cfg.strategy_params.items():
        unknown = sorted(set(params) - set(STRATEGY_DEFAULTS[name]))
        if unknown:
            accepted = sorted(STRATEGY_DEFAULTS[name]) or "none"
            raise ConfigError(f"strategy_params.{name}: unknown {unknown}; accepted: {accepted}")
    _check_params("rule_params", cfg.rule_params, rules)
    for name, params in cfg.rule_params.items():
        _check_rule_params(name, OmegaConf.to_container(params))
    _check_params("rule_train", cfg.rule_train, rules)
    for name, section in cfg.rule_train.items():
        _check_rule_train(name, section, cfg.scenario.streaming)

    sc = cfg.scenario
    _choice("scenario.name", sc.name, SCENARIOS)
    _choice("scenario.source", sc.source, SOURCES)
    if sc.n_experiences < 1:
        raise ConfigError(
            f"scenario.n_experiences: expected an integer >= 1, got {sc.n_experiences}"
        )
    if sc.name.startswith("split") and 10 % sc.n_experiences:
        raise ConfigError(
            f"scenario.n_experiences: expected a divisor of the 10 classes (1, 2, 5, 10), got {sc.n_experiences}"
        )
    if sc.streaming:
        if cfg.train.epochs != 1:
            raise ConfigError(
                f"train.epochs: streaming is one pass; expected 1, got {cfg.train.epochs}"
            )
        for name in cfg.strategies:
            _choice("strategies (streaming mode)", name, STREAMING_STRATEGIES)

    if cfg.privacy.enabled:
        privacy_settings(cfg)
        for name in cfg.strategies:
            _choice("strategies (privacy.enabled)", name, PRIVATE_STRATEGIES)
        for name in cfg.rules:
            _choice("rules (privacy.enabled)", name, ("backprop",))

    _choice("model.kind", cfg.model.kind, ("mlp", "cnn"))
    if not cfg.model.hidden or any(h < 1 for h in cfg.model.hidden):
        raise ConfigError(
            f"model.hidden: expected a non-empty list of sizes >= 1, got {list(cfg.model.hidden)}"
        )

    opt = cfg.optimizer
    _choice("optimizer.name", opt.name, OPTIMIZERS)
    _positive("optimizer.lr", opt.lr)
    _positive("optimizer.momentum", opt.momentum, allow_zero=True)
    _positive("optimizer.weight_decay", opt.weight_decay, allow_zero=True)
    _positive("optimizer.initial_accumulator_value", opt.initial_accumulator_value, allow_zero=True)

    tr = cfg.train
    for key in ("batch_size", "epochs", "eval_batch_size"):
        if tr[key] < 1:
            raise ConfigError(f"train.{key}: expected an integer >= 1, got {tr[key]}")
    if tr.update_clip is not None:
        _positive("train.update_clip", tr.update_clip)
    _choice("train.device", tr.device, DEVICES)
    if tr.device == "cuda":
        import torch

        if not torch.cuda.is_available():
            raise ConfigError(
                "train.device: 'cuda' requested but no CUDA device is available; use cpu or auto"
            )
