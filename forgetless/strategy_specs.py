"""The classic continual-learning strategies as plain data: names, defaults, what each allows.

No framework is imported here: the Avalanche door builds the strategies from these defaults
(:func:`forgetless.avalanche.build_cl_strategy`), and the app validates a config against them
without loading Avalanche.

Defaults (used when a config does not override them), chosen for Split-MNIST-sized runs:

- ``naive``: fine-tuning, no protection against forgetting (the lower bound).
- ``ewc``: Elastic Weight Consolidation, ``ewc_lambda=1000`` ("Overcoming catastrophic forgetting
  in neural networks", Kirkpatrick et al., 2017), ``mode="separate"`` (``mode="online"`` needs a
  ``decay_factor`` in (0, 1]).
- ``si``: Synaptic Intelligence, ``si_lambda=1.0`` ("Continual Learning Through Synaptic
  Intelligence", Zenke et al., 2017).
- ``lwf``: Learning without Forgetting, ``alpha=1.0``, ``temperature=2.0`` (Li & Hoiem, 2017).
- ``replay``: experience replay with a class-balanced-by-experience buffer, ``mem_size=200``.

Every parameter has a type and a range (:data:`STRATEGY_SCHEMAS`); :func:`check_strategy_params`
checks a user's values against them, so a bad value is refused before a run starts instead of
failing (or silently misbehaving, e.g. a negative penalty) inside it. Decisions on the ranges:
penalty weights are finite and in [0, 1e6] (0 turns the penalty off; published values reach
~1e4), LwF's temperature is in (0, 100], replay's buffer holds 1 to 1,000,000 samples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

STRATEGY_DEFAULTS: dict[str, dict[str, Any]] = {
    "naive": {},
    "ewc": {"ewc_lambda": 1000.0, "mode": "separate", "decay_factor": None},
    "si": {"si_lambda": 1.0},
    "lwf": {"alpha": 1.0, "temperature": 2.0},
    "replay": {"mem_size": 200},
}

# Strategies that DP-SGD supports (see forgetless.avalanche.privacy_plugin for why).
PRIVATE_STRATEGIES = ("naive",)

# Strategies that use no task-boundary signal, so they are meaningful in streaming mode.
STREAMING_STRATEGIES = ("naive",)

# Strategies that act by adding a penalty to the backprop loss; a local rule's update ignores them.
LOSS_PENALTY_STRATEGIES = ("ewc", "si", "lwf")


@dataclass(frozen=True)
class ParamSpec:
    """The type and range of one strategy parameter.

    ``kind`` is ``float``, ``int`` or ``str``; numbers lie in ``[low, high]`` (``(low, high]`` with
    ``open_low``); strings are one of ``choices``; ``optional`` also accepts None.
    """

    kind: type
    low: float | None = None
    high: float | None = None
    open_low: bool = False
    choices: tuple[str, ...] = ()
    optional: bool = False

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
        """``value`` converted to ``kind``; ValueError (the description) when it does not fit."""
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


_PENALTY = ParamSpec(float, 0.0, 1e6)
STRATEGY_SCHEMAS: dict[str, dict[str, ParamSpec]] = {
    "naive": {},
    "ewc": {
        "ewc_lambda": _PENALTY,
        "mode": ParamSpec(str, choices=("separate", "online")),
        "decay_factor": ParamSpec(float, 0.0, 1.0, open_low=True, optional=True),
    },
    "si": {"si_lambda": _PENALTY},
    "lwf": {"alpha": _PENALTY, "temperature": ParamSpec(float, 0.0, 100.0, open_low=True)},
    "replay": {"mem_size": ParamSpec(int, 1, 1_000_000)},
}


def check_strategy_params(name: str, params: dict[str, Any]) -> dict[str, Any]:
    """The defaults of strategy ``name`` updated with ``params``, every value checked.

    Raises ValueError with one line naming ``strategy_params.<name>.<key>``, what is accepted and
    what was given, for an unknown strategy, an unknown key or a value of the wrong type or range.
    """
    if name not in STRATEGY_SCHEMAS:
        raise ValueError(f"strategy: expected one of {sorted(STRATEGY_SCHEMAS)}, got {name!r}")
    schema = STRATEGY_SCHEMAS[name]
    unknown = sorted(set(params) - set(schema))
    if unknown:
        raise ValueError(
            f"strategy_params.{name}: unknown {unknown}; accepted: {sorted(schema) or 'none'}"
        )
    checked = dict(STRATEGY_DEFAULTS[name])
    for key, value in params.items():
        try:
            checked[key] = schema[key].check(value)
        except ValueError as error:
            raise ValueError(
                f"strategy_params.{name}.{key}: expected {error}, got {value!r}"
            ) from None
    if name == "ewc" and (checked["mode"] == "online") != (checked["decay_factor"] is not None):
        raise ValueError(
            f"strategy_params.ewc.decay_factor: mode {checked['mode']!r} needs "
            + ("a decay_factor in (0, 1]" if checked["mode"] == "online" else "decay_factor=null")
            + f", got {checked['decay_factor']!r}"
        )
    return checked
