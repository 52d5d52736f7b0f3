"""Privacy accounting over a whole continual stream, with Opacus's accountants.

Each experience i is a run of DP-SGD steps at sample rate ``q_i = B / N_i`` (Poisson sampling,
expected batch size B over the N_i examples of that experience); Opacus's Poisson loader runs
``int(1 / q_i)`` steps per epoch, so experience i contributes ``epochs · int(1 / q_i)`` steps.

The accounting covers the whole stream: the accountant's history holds one ``(σ, q_i, steps_i)``
entry per experience (sequential composition), and ε is that of all steps of all experiences
together. With a ``target_epsilon``, one σ is calibrated for all the steps by bisection on that
history. Design decisions: docs/privacy.md#accounting-covers-the-whole-stream.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .settings import PrivacySettings

MAX_SIGMA = 1e6


@dataclass(frozen=True)
class Phase:
    """A run of DP-SGD steps at one sample rate (one experience).

    Attributes:
        sample_rate: the Poisson sample rate ``q = B / N_i``.
        steps: the DP-SGD steps at that rate.
    """

    sample_rate: float
    steps: int


def poisson_sample_rate(batch_size: int, n_examples: int) -> float:
    """``min(1, batch_size / n_examples)``: the sample rate giving that expected batch size.

    Raises:
        ValueError: ``batch_size`` or ``n_examples`` is not a positive int.
    """
    for name, value in (("batch_size", batch_size), ("n_examples", n_examples)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name}: expected a positive int, got {value!r}")
    return min(1.0, batch_size / n_examples)


def plan_stream(experience_sizes: Sequence[int], batch_size: int, epochs: int) -> list[Phase]:
    """One :class:`Phase` per experience: its sample rate and ``epochs * int(1 / q)`` steps.

    Args:
        experience_sizes: the number of training examples of each experience.
        batch_size: the expected (Poisson) batch size B.
        epochs: training epochs per experience.

    Raises:
        ValueError: ``epochs``, ``batch_size`` or a size is not a positive int, or there is no
            experience.
    """
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs: expected a positive int, got {epochs!r}")
    if len(experience_sizes) == 0:
        raise ValueError("experience_sizes: expected at least one experience, got none")
    phases = []
    for size in experience_sizes:
        q = poisson_sample_rate(batch_size, size)
        phases.append(Phase(q, epochs * int(1.0 / q)))
    return phases


def epsilon_of(
    history: Sequence[tuple[float, float, int]], delta: float, accountant: str = "rdp"
) -> float:
    """ε spent by ``history`` (Opacus ``(noise_multiplier, sample_rate, steps)`` entries).

    Args:
        history: the composed runs of DP-SGD steps (empty: ε = 0).
        delta: the δ of the guarantee.
        accountant: an Opacus accountant name (``"rdp"`` or ``"prv"``).
    """
    from opacus.accountants import create_accountant

    if not history:
        return 0.0
    acc = create_accountant(mechanism=accountant)
    acc.history = [tuple(entry) for entry in history]
    return float(acc.get_epsilon(delta=delta))


def calibrate_noise_multiplier(
    settings: PrivacySettings, phases: Sequence[Phase], tolerance: float = 0.01
) -> float:
    """The smallest σ (to ``tolerance`` in ε) whose composition over ``phases`` spends at most
    ``settings.target_epsilon`` at ``settings.delta``; with a fixed σ in the settings, that σ.

    Args:
        settings: the privacy settings (a budget or a fixed noise multiplier).
        phases: the stream's plan (:func:`plan_stream`).
        tolerance: how far below the target the returned σ's ε may be.

    Raises:
        ValueError: the target cannot be reached with a noise multiplier up to ``MAX_SIGMA``.
    """
    if settings.noise_multiplier is not None:
        return settings.noise_multiplier
    target = settings.target_epsilon
    assert target is not None

    def eps(sigma: float) -> float:
        history = [(sigma, p.sample_rate, p.steps) for p in phases]
        return epsilon_of(history, settings.delta, settings.accountant)

    low, high = 0.0, 10.0
    eps_high = eps(high)
    while eps_high > target:
        low, high = high, 2 * high
        if high > MAX_SIGMA:
            raise ValueError(
                f"privacy.target_epsilon: {target} cannot be reached for "
                f"{sum(p.steps for p in phases)} steps (noise multiplier above {MAX_SIGMA:g})"
            )
        eps_high = eps(high)
    while target - eps_high > tolerance:
        mid = (low + high) / 2
        eps_mid = eps(mid)
        if eps_mid < target:
            high, eps_high = mid, eps_mid
        else:
            low = mid
        if high - low < 1e-9 * max(1.0, high):
            break
    if not math.isfinite(eps_high):
        raise ValueError(f"privacy.target_epsilon: {target} cannot be reached")
    return high
