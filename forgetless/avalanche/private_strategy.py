"""A private Avalanche strategy in one call: what ``forgetless compare`` uses for its ``privacy``
section.

``make_private_strategy`` builds the strategy with :func:`build_cl_strategy` and appends a
:class:`~forgetless.avalanche.privacy_plugin.PrivacyPlugin` **last** (after the activation swap
and any other plugin), planned for the stream's experience sizes, ``train_mb_size`` as the
expected Poisson batch size and ``train_epochs`` epochs per experience. Supported strategies: the
entries of :data:`forgetless.strategy_specs.STRATEGIES` marked ``private_ok`` (see the plugin's
docstring for why the others are refused). The plugin's ``ledger`` reports the ε spent over the
whole stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torch import nn
from torch.optim import Optimizer

from forgetless.avalanche.cl_strategies import build_cl_strategy
from forgetless.privacy import PrivacySettings, check_private_model
from forgetless.strategy_specs import strategies_where


def make_private_strategy(
    name: str,
    model: nn.Module,
    optimizer: Optimizer,
    *,
    privacy: PrivacySettings,
    experience_sizes: Sequence[int],
    train_mb_size: int,
    train_epochs: int,
    plugins: Sequence[Any] = (),
    seed: int | None = None,
    **strategy_kwargs: Any,
) -> tuple[Any, Any]:
    """``(strategy, privacy_plugin)``: strategy ``name`` trained with DP-SGD over the stream.

    Checks the settings (δ < 1/N with N = ``sum(experience_sizes)``), plans the noise for the
    whole stream and refuses unsupported strategies, all before any training.

    Args:
        name, model, optimizer, train_mb_size, train_epochs, plugins: as
            :func:`~forgetless.avalanche.cl_strategies.build_cl_strategy`.
        privacy: the DP-SGD settings.
        experience_sizes: the training samples of each experience.
        seed: the noise and the Poisson sampling.
        strategy_kwargs: the rest of ``build_cl_strategy``'s keywords (``eval_mb_size``,
            ``device``, ``evaluator``, ``criterion``, the strategy's parameters).

    Raises:
        ValueError: a strategy that is not ``private_ok``, settings or a model DP-SGD cannot
            serve, or a bad strategy parameter (each naming what is wrong).
    """
    from forgetless.avalanche.privacy_plugin import PrivacyPlugin

    supported = strategies_where("private_ok")
    if name not in supported:
        raise ValueError(f"strategy: private training supports {supported}, got {name!r}")
    check_private_model(model)
    plugin = PrivacyPlugin(privacy, experience_sizes, train_mb_size, train_epochs, seed=seed)
    strategy = build_cl_strategy(
        name,
        model,
        optimizer,
        train_mb_size=train_mb_size,
        train_epochs=train_epochs,
        plugins=[*plugins, plugin],
        **strategy_kwargs,
    )
    return strategy, plugin
