"""Value checks for a merged compare config: names that exist, numbers in range.

omegaconf already rejected unknown keys and wrong types; this catches the rest before any
training starts, raising :class:`~forgetless.app.configs.load.ConfigError` with one line per problem:
interpolations that do not resolve, sizes over their bounds (:mod:`.limits`), strategy parameters
against their entries (:data:`forgetless.strategy_specs.STRATEGIES`), paths (:mod:`.paths`),
and grid cells that could not run (:mod:`.grid_check`).
"""

from __future__ import annotations

import math
from typing import Any

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from forgetless.app.configs.extras_check import require
from forgetless.app.configs.grid_check import check_rule_cells, check_strategy_cells
from forgetless.app.configs.heads_check import check_heads
from forgetless.app.configs.launcher_check import check_launcher
from forgetless.app.configs.limits import check_model_size, check_param_ints, check_sizes
from forgetless.app.configs.load import ConfigError, one_line
from forgetless.app.configs.paths import check_output_dir, check_run_name
from forgetless.app.configs.scenario_check import check_scenario
from forgetless.app.configs.scenario_check import choice as _choice
from forgetless.strategy_specs import STRATEGIES, check_strategy_params, strategies_where

DEVICES = ("cpu", "cuda", "auto")
EVALUATE_MODES = ("all", "current")  # train.evaluate (forgetless.app.run.cell)
LOGGERS = {"tensorboard": "tensorboard", "csv": None, "wandb": "wandb"}  # name -> package


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
    anything runs or is written. Backprop trains the ``model`` section's network: no options."""
    from forgetless.rules import BACKPROP, build_rule, recipe

    if name == BACKPROP and params:
        raise ConfigError(
            f"rule_params.{name}: backprop trains the model section's network and takes no "
            f"options (set model.*); got {sorted(params)}"
        )
    try:
        merged = {**recipe(name).params, **params}
        build_rule(name, in_features=784, num_classes=10, hidden=[8], **merged)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"rule_params.{name}: {str(error).splitlines()[0]}") from None


def _check_loggers(names: list[str]) -> None:
    """Known, distinct logger names whose package is installed (found, not imported)."""
    import importlib.util

    if len(set(names)) != len(names):
        raise ConfigError(f"loggers: expected distinct entries, got {names}")
    for name in names:
        _choice("loggers", name, list(LOGGERS))
        package = LOGGERS[name]
        if package is not None and importlib.util.find_spec(package) is None:
            raise ConfigError(
                f"loggers: {name!r} needs the {package} package (pip install {package})"
            )


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
        from forgetless.optim import OPTIMIZERS

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


# omegaconf types a list's items but not items that are themselves lists or dicts.
LIST_ITEMS = {
    "seeds": int,
    "activations": str,
    "strategies": str,
    "rules": str,
    "heads": str,
    "references.heads": str,
    "model.hidden": int,
    "scenario.class_order": int,
}


def _check_list_items(cfg: DictConfig) -> None:
    for key, kind in LIST_ITEMS.items():
        for index, value in enumerate(OmegaConf.select(cfg, key) or []):
            if isinstance(value, bool) or not isinstance(value, kind):
                if OmegaConf.is_config(value):
                    value = OmegaConf.to_container(value)
                expected = "an integer" if kind is int else "a name"
                raise ConfigError(f"{key}[{index}]: expected {expected}, got {value!r}")


def _check_monitors(cfg: DictConfig) -> None:
    from forgetless.rules import BACKPROP

    others = [name for name in cfg.rules if name != BACKPROP]
    for key in ("plasticity", "streaming_accuracy"):
        if cfg.monitors[key] and others:
            raise ConfigError(
                f"monitors.{key}: measured on backprop cells only; rules has {others}"
            )


def validate(cfg: DictConfig) -> None:
    """Check every value of a merged compare config before anything runs or is written.

    Args:
        cfg: the config :func:`~forgetless.app.configs.load.load_config` returned.

    Raises:
        ConfigError: the first invalid value, in one line naming its key.
    """
    from forgetless.activations import available_activations, get_activation
    from forgetless.models.factory import MODEL_KINDS
    from forgetless.optim import OPTIMIZERS
    from forgetless.rules import BACKPROP, list_rules

    try:  # an interpolation such as ${foo} must resolve; the error names the key holding it
        OmegaConf.to_container(cfg, resolve=True)
    except OmegaConfBaseException as error:
        raise ConfigError(one_line(error, "config")) from None
    _check_list_items(cfg)
    activations = available_activations()
    strategies = sorted(STRATEGIES)
    rules = list_rules()

    _non_empty_unique("activations", list(cfg.activations))
    for name in cfg.activations:
        _choice("activations", name, activations)
    _non_empty_unique("strategies", list(cfg.strategies))
    for name in cfg.strategies:
        _choice("strategies", name, strategies)
    check_strategy_cells(list(cfg.strategies))
    _non_empty_unique("rules", list(cfg.rules))
    for name in cfg.rules:
        _choice("rules", name, rules)
    _non_empty_unique("seeds", list(cfg.seeds))
    _check_loggers(list(cfg.loggers))

    _check_params("activation_params", cfg.activation_params, activations)
    for name, params in cfg.activation_params.items():
        params = OmegaConf.to_container(params)
        check_param_ints(f"activation_params.{name}", params)
        try:
            get_activation(name, **params)
        except (TypeError, ValueError) as error:
            raise ConfigError(f"activation_params.{name}: {error}") from None
    _check_params("strategy_params", cfg.strategy_params, strategies)
    for name, params in cfg.strategy_params.items():
        try:
            check_strategy_params(name, OmegaConf.to_container(params))
        except ValueError as error:
            raise ConfigError(str(error)) from None
    _check_params("rule_params", cfg.rule_params, rules)
    for name, params in cfg.rule_params.items():
        params = OmegaConf.to_container(params)
        check_param_ints(f"rule_params.{name}", params)
        _check_rule_params(name, params)
    _check_params("rule_train", cfg.rule_train, rules)
    for name, section in cfg.rule_train.items():
        _check_rule_train(name, section, cfg.scenario.streaming)

    check_rule_cells(list(cfg.rules), list(cfg.strategies), cfg.model.kind)
    check_heads(cfg)
    check_scenario(cfg.scenario)
    sc = cfg.scenario
    if sc.streaming:
        if cfg.train.epochs != 1:
            raise ConfigError(
                f"train.epochs: streaming is one pass; expected 1, got {cfg.train.epochs}"
            )
        for name in cfg.strategies:
            _choice("strategies (streaming mode)", name, strategies_where("streaming_ok"))

    if cfg.privacy.enabled:
        require("opacus", "privacy", "privacy.enabled:", "trains with DP-SGD through Opacus")
        privacy_settings(cfg)
        for name in cfg.strategies:
            _choice("strategies (privacy.enabled)", name, strategies_where("private_ok"))
        for name in cfg.rules:
            _choice("rules (privacy.enabled)", name, (BACKPROP,))

    _choice("model.kind", cfg.model.kind, MODEL_KINDS)
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
    _choice("train.evaluate", tr.evaluate, EVALUATE_MODES)
    if tr.evaluate == "current" and cfg.references.joint:
        raise ConfigError(
            "train.evaluate: 'current' needs references.joint=false "
            "(acc_vs_joint and intransigence read the full accuracy matrix)"
        )
    _check_monitors(cfg)
    if tr.device == "cuda":
        import torch

        if not torch.cuda.is_available():
            raise ConfigError(
                "train.device: 'cuda' requested but no CUDA device is available; use cpu or auto"
            )
    check_launcher(cfg.launcher)
    check_sizes(cfg)
    check_run_name(cfg.run_name)
    check_output_dir(cfg.output_dir)
    check_model_size(cfg)
