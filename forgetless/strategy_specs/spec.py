"""The shapes of the strategy table: :class:`ParamSpec` (one parameter) and
:class:`StrategySpec` (one entry). No framework is imported here; the entries are in the family
modules of this package, assembled in :data:`forgetless.strategy_specs.STRATEGIES`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ParamSpec:
    """One strategy parameter: its type, range and default.

    ``kind`` is ``float``, ``int``, ``str`` or ``bool``; numbers lie in ``[low, high]``
    (``(low, high]`` with ``open_low``); strings are one of ``choices``; ``optional`` also
    accepts None. ``default`` is
    the value used when a config does not set it; ``meaning`` says what it does.
    """

    kind: type
    low: float | None = None
    high: float | None = None
    open_low: bool = False
    choices: tuple[str, ...] = ()
    optional: bool = False
    default: Any = None
    meaning: str = ""

    def describe(self) -> str:
        """What is accepted, in words (for error messages)."""
        if self.kind is str:
            text = f"one of {list(self.choices)}"
        elif self.kind is bool:
            text = "true or false"
        else:
            noun = "an integer" if self.kind is int else "a finite number"
            low, high = (f"{v:,}" if self.kind is int else f"{v:g}" for v in (self.low, self.high))
            text = f"{noun} in {'(' if self.open_low else '['}{low}, {high}]"
        return text + (" or null" if self.optional else "")

    def check(self, value: Any) -> Any:
        """``value`` converted to ``kind``.

        Raises:
            ValueError: the description (:meth:`describe`) when ``value`` does not fit.
        """
        if value is None and self.optional:
            return None
        if self.kind is str:
            if isinstance(value, str) and value in self.choices:
                return value
            raise ValueError(self.describe())
        if self.kind is bool:
            if isinstance(value, bool):
                return value
            raise ValueError(self.describe())
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(self.describe())
        if self.kind is int and not isinstance(value, int):
            raise ValueError(self.describe())
        try:
            number = self.kind(value)
        except OverflowError:  # an int beyond float's range
            raise ValueError(self.describe()) from None
        above = number > self.low if self.open_low else number >= self.low
        if not (above and number <= self.high and math.isfinite(number)):
            raise ValueError(self.describe())
        return number


NAIVE = "avalanche.training:Naive"


@dataclass(frozen=True)
class StrategySpec:
    """One entry of :data:`STRATEGIES`.

    Attributes:
        name: the strategy's name (``strategies=[...]``, ``strategy_params.<name>``).
        avalanche_class: ``"module:Class"`` of the Avalanche strategy the door builds.
        paper: the paper that introduced it, by title ("" for plain fine-tuning).
        params: each parameter's :class:`ParamSpec` (its default included), in listing order.
        plugin: ``"module:Class"`` of a plugin the door appends last, or None.
        plugin_params: the parameters given to ``plugin`` instead of the strategy class.
        arguments: a parameter's keyword in the class's constructor, where it differs.
        private_ok: DP-SGD supports it (why the others do not: docs/privacy.md).
        streaming_ok: it uses no task-boundary signal, so it is meaningful in streaming mode.
        loss_penalty: it acts on the backprop loss, which a local rule's update ignores.
        check: a rule across parameters, called with the checked values (ValueError if broken).
        relative_time: training time relative to naive, for the launchers' longest-first order
            (:mod:`forgetless.app.run.schedule`; measured, see docs/strategies.md).
        upper_bound: it trains once on the union of all experiences (i.i.d., the same total
            steps): the joint upper bound, run by the cell runner with one ``train`` call.
        rule_ok: a local rule's :class:`~forgetless.avalanche.rule_strategy.RuleStrategy` can
            run it (it is naive or only its ``plugin``, which changes the data, not the update).
        builder: ``"module:function"`` the door calls to turn the model into the class's own
            constructor arguments (iCaRL's feature extractor and classifier, CWR*'s layer name,
            ...), or None (the class takes ``model`` and ``criterion``).
        refusal: why it cannot run here ("" when it can); ``compare`` refuses it with this.
    """

    name: str
    avalanche_class: str
    paper: str
    params: Mapping[str, ParamSpec] = field(default_factory=dict)
    plugin: str | None = None
    plugin_params: tuple[str, ...] = ()
    arguments: Mapping[str, str] = field(default_factory=dict)
    private_ok: bool = False
    streaming_ok: bool = False
    loss_penalty: bool = False
    check: Callable[[dict[str, Any]], None] | None = None
    relative_time: float = 1.0
    upper_bound: bool = False
    rule_ok: bool = False
    builder: str | None = None
    refusal: str = ""

    @property
    def defaults(self) -> dict[str, Any]:
        """The default value of every parameter."""
        return {key: spec.default for key, spec in self.params.items()}

    def split_arguments(self, checked: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """``(class keywords, plugin keywords)`` of checked parameter values."""
        plugin = {key: checked[key] for key in self.plugin_params}
        rest = {self.arguments.get(k, k): v for k, v in checked.items() if k not in plugin}
        return rest, plugin


def penalty(default: float, meaning: str) -> ParamSpec:
    """A non-negative loss weight."""
    return ParamSpec(float, 0.0, 1e6, default=default, meaning=meaning)


def count(default: int, meaning: str, low: int = 1) -> ParamSpec:
    """A number of samples, steps or epochs."""
    return ParamSpec(int, low, 1_000_000, default=default, meaning=meaning)


def fraction(default: float, meaning: str) -> ParamSpec:
    """A number in (0, 1]."""
    return ParamSpec(float, 0.0, 1.0, open_low=True, default=default, meaning=meaning)


def positive(default: float, meaning: str, high: float = 100.0) -> ParamSpec:
    """A number in (0, high] (a temperature, a step size)."""
    return ParamSpec(float, 0.0, high, open_low=True, default=default, meaning=meaning)
