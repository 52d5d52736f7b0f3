"""The continual-learning strategies as one table of plain data: :data:`STRATEGIES`.

One :class:`StrategySpec` per name holds the Avalanche class (a ``"module:Class"`` string,
imported only by the Avalanche door), the parameters with their defaults and ranges, what the
strategy allows (DP-SGD, streaming, a local rule) and its paper. No framework is imported here:
the door builds a strategy from its entry (:func:`forgetless.avalanche.build_cl_strategy`), the
app validates a config against it without loading Avalanche, ``forgetless strategies --params``
lists it. Adding a strategy is one entry (and its test); defaults and ranges: docs/strategies.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ParamSpec:
    """One strategy parameter: its type, range and default.

    ``kind`` is ``float``, ``int`` or ``str``; numbers lie in ``[low, high]`` (``(low, high]`` with
    ``open_low``); strings are one of ``choices``; ``optional`` also accepts None. ``default`` is
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

    @property
    def defaults(self) -> dict[str, Any]:
        """The default value of every parameter."""
        return {key: spec.default for key, spec in self.params.items()}

    def split_arguments(self, checked: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """``(class keywords, plugin keywords)`` of checked parameter values."""
        plugin = {key: checked[key] for key in self.plugin_params}
        rest = {self.arguments.get(k, k): v for k, v in checked.items() if k not in plugin}
        return rest, plugin


def _ewc_mode_and_decay(checked: dict[str, Any]) -> None:
    """``mode="online"`` needs a ``decay_factor``; ``mode="separate"`` refuses one."""
    if (checked["mode"] == "online") != (checked["decay_factor"] is not None):
        raise ValueError(
            f"strategy_params.ewc.decay_factor: mode {checked['mode']!r} needs "
            + ("a decay_factor in (0, 1]" if checked["mode"] == "online" else "decay_factor=null")
            + f", got {checked['decay_factor']!r}"
        )


def _penalty(default: float, meaning: str) -> ParamSpec:
    return ParamSpec(float, 0.0, 1e6, default=default, meaning=meaning)


STRATEGIES: dict[str, StrategySpec] = {
    spec.name: spec
    for spec in (
        StrategySpec(
            name="naive",
            avalanche_class=NAIVE,
            paper="",  # fine-tuning: no protection against forgetting (the lower bound)
            private_ok=True,
            streaming_ok=True,
        ),
        StrategySpec(
            name="ewc",
            avalanche_class="avalanche.training:EWC",
            paper="Overcoming catastrophic forgetting in neural networks",
            params={
                "ewc_lambda": _penalty(1000.0, "weight of the quadratic penalty"),
                "mode": ParamSpec(
                    str,
                    choices=("separate", "online"),
                    default="separate",
                    meaning="one penalty per experience, or one running Fisher estimate",
                ),
                "decay_factor": ParamSpec(
                    float,
                    0.0,
                    1.0,
                    open_low=True,
                    optional=True,
                    meaning="online mode's decay of the old Fisher estimate",
                ),
            },
            loss_penalty=True,
            relative_time=2.0,
            check=_ewc_mode_and_decay,
        ),
        StrategySpec(
            name="si",
            avalanche_class="avalanche.training:SynapticIntelligence",
            paper="Continual Learning Through Synaptic Intelligence",
            params={"si_lambda": _penalty(1.0, "weight of the surrogate loss")},
            loss_penalty=True,
            relative_time=1.6,
        ),
        StrategySpec(
            name="lwf",
            avalanche_class="avalanche.training:LwF",
            paper="Learning without Forgetting",
            params={
                "alpha": _penalty(1.0, "weight of the distillation loss"),
                "temperature": ParamSpec(
                    float, 0.0, 100.0, open_low=True, default=2.0, meaning="softmax temperature"
                ),
            },
            loss_penalty=True,
            relative_time=1.2,
        ),
        StrategySpec(
            name="replay",
            avalanche_class=NAIVE,
            paper="Experience Replay for Continual Learning",
            params={
                "mem_size": ParamSpec(
                    int, 1, 1_000_000, default=200, meaning="samples in the replay buffer"
                )
            },
            relative_time=1.5,
            plugin="forgetless.avalanche.replay_plugin:QuietReplayPlugin",
            plugin_params=("mem_size",),
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
        ),
    )
}


def strategy_spec(name: str) -> StrategySpec:
    """The entry of strategy ``name``.

    Raises:
        ValueError: ``name`` is not in :data:`STRATEGIES` (the message lists them).
    """
    if name not in STRATEGIES:
        raise ValueError(f"strategy: expected one of {sorted(STRATEGIES)}, got {name!r}")
    return STRATEGIES[name]


def strategies_where(flag: str) -> list[str]:
    """The names whose entry has ``flag`` (``"private_ok"``, ``"streaming_ok"``,
    ``"loss_penalty"``) set, in table order."""
    return [name for name, spec in STRATEGIES.items() if getattr(spec, flag)]


def check_strategy_params(name: str, params: dict[str, Any]) -> dict[str, Any]:
    """The defaults of strategy ``name`` updated with ``params``, every value checked.

    Args:
        name: an entry of :data:`STRATEGIES`.
        params: the values a user gave (``strategy_params.<name>``).

    Raises:
        ValueError: one line naming ``strategy_params.<name>.<key>``, what is accepted and what
            was given, for an unknown strategy, an unknown key or a value of the wrong type or
            range.
    """
    spec = strategy_spec(name)
    unknown = sorted(set(params) - set(spec.params))
    if unknown:
        raise ValueError(
            f"strategy_params.{name}: unknown {unknown}; accepted: {sorted(spec.params) or 'none'}"
        )
    checked = spec.defaults
    for key, value in params.items():
        try:
            checked[key] = spec.params[key].check(value)
        except ValueError as error:
            raise ValueError(
                f"strategy_params.{name}.{key}: expected {error}, got {value!r}"
            ) from None
    if spec.check is not None:
        spec.check(checked)
    return checked
