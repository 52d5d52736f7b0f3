"""Privacy settings for DP-SGD training (validated before any training starts).

DP-SGD as in "Deep Learning with Differential Privacy" (Abadi et al., 2016): each example's
gradient is clipped to L2 norm ``max_grad_norm`` (C), the clipped gradients of a Poisson-sampled
batch are summed, Gaussian noise ``N(0, (noise_multiplier * C)^2 I)`` is added and the sum is
divided by the expected batch size. Opacus does all of it; these settings only say how.

Design decisions (exactly one of budget and noise level, the default δ and its 1/N bound, the
accountants, the default clipping norm): docs/privacy.md#settings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

ACCOUNTANTS = ("rdp", "prv")


def _positive_float(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"privacy.{field}: expected a number > 0, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"privacy.{field}: expected a finite number > 0, got {value!r}")
    return value


@dataclass(frozen=True)
class PrivacySettings:
    """How to train privately: a budget (``target_epsilon``) or a noise level, and δ, C.

    Field checks that need no data run at construction; :meth:`validate` adds the checks that
    need the training-set size N (δ < 1/N).

    Args:
        target_epsilon: the ε the whole run may spend (σ is calibrated for it).
        noise_multiplier: a fixed σ (ε is whatever the run spends); give exactly one of the two.
        delta: the δ of the guarantee, in (0, 1) (and below 1/N, see :meth:`validate`).
        max_grad_norm: the per-example clipping norm C.
        accountant: ``"rdp"`` or ``"prv"`` (:data:`ACCOUNTANTS`).

    Raises:
        ValueError: both or neither of ``target_epsilon`` and ``noise_multiplier``; a value that
            is not a finite number > 0; ``delta >= 1``; an unknown accountant. The message
            names the field (``privacy.<field>``).
    """

    target_epsilon: float | None = None
    noise_multiplier: float | None = None
    delta: float = 1e-5
    max_grad_norm: float = 1.0
    accountant: str = "rdp"

    def __post_init__(self) -> None:
        if (self.target_epsilon is None) == (self.noise_multiplier is None):
            raise ValueError(
                "privacy.target_epsilon / privacy.noise_multiplier: give exactly one of them "
                f"(got target_epsilon={self.target_epsilon!r}, "
                f"noise_multiplier={self.noise_multiplier!r})"
            )
        if self.target_epsilon is not None:
            object.__setattr__(
                self, "target_epsilon", _positive_float("target_epsilon", self.target_epsilon)
            )
        if self.noise_multiplier is not None:
            object.__setattr__(
                self, "noise_multiplier", _positive_float("noise_multiplier", self.noise_multiplier)
            )
        delta = _positive_float("delta", self.delta)
        if delta >= 1:
            raise ValueError(f"privacy.delta: expected a number in (0, 1), got {delta!r}")
        object.__setattr__(self, "delta", delta)
        object.__setattr__(
            self, "max_grad_norm", _positive_float("max_grad_norm", self.max_grad_norm)
        )
        if self.accountant not in ACCOUNTANTS:
            raise ValueError(
                f"privacy.accountant: expected one of {list(ACCOUNTANTS)}, got {self.accountant!r}"
            )

    @classmethod
    def from_mapping(cls, section: Mapping[str, Any]) -> PrivacySettings:
        """Build from a config section (e.g. the ``privacy`` section of a compare config).

        Raises:
            ValueError: an unknown key (the message names it and lists the accepted ones), or
                a field check of the constructor.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise ValueError(f"privacy: unknown field(s) {unknown}; accepted: {sorted(known)}")
        return cls(**dict(section))

    def validate(self, n_train: int) -> PrivacySettings:
        """Check the settings against the training-set size ``n_train``; return self.

        Raises:
            ValueError: ``n_train`` is not a positive int, or ``delta >= 1 / n_train``.
        """
        if isinstance(n_train, bool) or not isinstance(n_train, int) or n_train < 1:
            raise ValueError(f"n_train: expected a positive int, got {n_train!r}")
        if self.delta >= 1.0 / n_train:
            raise ValueError(
                f"privacy.delta: expected delta < 1/N = {1.0 / n_train:.3g} for N = {n_train} "
                f"training examples, got {self.delta!r}"
            )
        return self
