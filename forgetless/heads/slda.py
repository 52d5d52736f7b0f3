"""Streaming linear discriminant analysis: running class means, one shared within-class
covariance, and a linear read-out through its shrunk inverse.

From "Lifelong Machine Learning with Deep Streaming Linear Discriminant Analysis" (Hayes &
Kanan, CVPR Workshops 2020). With ``N`` samples seen, ``n_c`` of them of class ``c`` with mean
``μ_c``, the within-class scatter is ``S = Σ_c Σ_{i: y_i = c} (x_i − μ_c)(x_i − μ_c)ᵀ`` and the
shared covariance ``Σ = S / N``. A batch ``B`` (one sample: ``|B| = 1``) is merged exactly, as
Chan, Golub & LeVeque's pairwise update ("Updating Formulae and a Pairwise Algorithm for Computing
Sample Variances") does for each class::

    S ← S + Σ_c [ S_B,c + n_c n_B,c / (n_c + n_B,c) · (μ_B,c − μ_c)(μ_B,c − μ_c)ᵀ ]

(``S_B,c``, ``μ_B,c``, ``n_B,c``: the batch's own scatter, mean and count of class ``c``), so any
split of a stream into batches gives the batch formula's statistics. Prediction, over the classes
seen so far::

    Λ = ((1 − s) Σ + s · tr(Σ)/d · I)⁻¹,   w_c = Λ μ_c,   b_c = −½ μ_cᵀ Λ μ_c,
    logit_c(x) = w_c · x + b_c.

Decisions (the shrinkage target, ``N`` as the divisor, a zero covariance): docs/heads.md.
"""

from __future__ import annotations

from typing import Any

import torch

from forgetless.checks import as_finite_float
from forgetless.heads.class_means import STATS_DTYPE, ClassMeanHead


class StreamingLDA(ClassMeanHead):
    """Streaming LDA head (buffers ``means``, ``counts``, ``scatter``; float64 statistics).

    Args:
        num_features: the length ``d`` of one feature vector.
        num_classes: the number of classes ``C``; labels are ``0..C-1``.
        shrinkage: ``s`` in ``[0, 1]``, the weight of the isotropic target ``tr(Σ)/d · I``
            (``s = 0``: plain LDA, which needs a non-singular ``Σ``; ``s = 1``: nearest class
            mean).

    Raises:
        ValueError: naming ``num_features``, ``num_classes`` or ``shrinkage`` when out of range.
    """

    scatter: torch.Tensor

    def __init__(self, num_features: int, num_classes: int, shrinkage: float = 1e-4) -> None:
        super().__init__(num_features, num_classes)
        s = as_finite_float("StreamingLDA", "shrinkage", shrinkage)
        if not 0.0 <= s <= 1.0:
            raise ValueError(f"StreamingLDA: shrinkage must be in [0, 1], got {s}")
        self.shrinkage = s
        self.register_buffer("scatter", torch.zeros(num_features, num_features, dtype=STATS_DTYPE))
        self._readout: tuple[torch.Tensor, torch.Tensor] | None = None

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, shrinkage={self.shrinkage:g}"

    @property
    def covariance(self) -> torch.Tensor:
        """The shared within-class covariance ``Σ = S / N`` (zeros before any sample)."""
        return self.scatter / max(int(self.counts.sum()), 1)

    def precision(self) -> torch.Tensor:
        """``Λ = ((1 − s) Σ + s · tr(Σ)/d · I)⁻¹``; ``I`` while ``Σ`` is zero (docs/heads.md).

        Raises:
            ValueError: naming ``shrinkage`` when the shrunk covariance is singular (``s = 0``).
        """
        sigma = self.covariance
        d = self.num_features
        eye = torch.eye(d, dtype=STATS_DTYPE, device=sigma.device)
        trace = float(torch.trace(sigma))
        if trace <= 0.0:
            return eye
        shrunk = (1.0 - self.shrinkage) * sigma + (self.shrinkage * trace / d) * eye
        factor, info = torch.linalg.cholesky_ex(shrunk)
        tiny = d * torch.finfo(STATS_DTYPE).eps * trace  # a pivot² this small: numerically singular
        if int(info) != 0 or float(factor.diagonal().min()) ** 2 <= tiny:
            raise ValueError(
                f"StreamingLDA: shrinkage {self.shrinkage:g} leaves the covariance singular; "
                "use shrinkage > 0"
            )
        return torch.cholesky_inverse(factor)

    def readout(self) -> tuple[torch.Tensor, torch.Tensor]:
        """``(W (C, d), b (C,))`` with ``W = M Λ``, cached until the statistics change."""
        if self._readout is None:
            weight = self.means @ self.precision()
            bias = -0.5 * (weight * self.means).sum(1)
            self._readout = (weight, bias)
        return self._readout

    @torch.no_grad()
    def update(self, x: torch.Tensor, y: torch.Tensor) -> None:
        """Merge the samples ``x`` ``(N, d)`` with labels ``y`` ``(N,)`` into the statistics.

        Raises:
            ValueError: naming ``x`` or ``y`` for a wrong type, shape, value or label.
        """
        x = self.check_features(x)
        y = self.check_labels(y, x.shape[0])
        if x.shape[0] == 0:
            return
        counts, means = self.batch_means(x, y)
        old_counts = self.counts.to(STATS_DTYPE)
        old_means = self.merge_means(counts, means)
        present = counts > 0
        batch = counts[present].to(STATS_DTYPE)
        old = old_counts[present]
        weight = old * batch / (old + batch)  # n_c n_B,c / (n_c + n_B,c) >= 0
        shift = (means[present] - old_means[present]) * weight.sqrt().unsqueeze(1)
        # one rank-(|B| + classes) update in place: S += Zᵀ Z, Z = [x − μ_B,y ; √w (μ_B,c − μ_c)]
        rows = torch.cat([x - means[y], shift])
        self.scatter.addmm_(rows.T, rows)
        self._readout = None

    @torch.no_grad()
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``(N, C)`` in ``x``'s dtype (computed in float64), ``−inf`` for unseen classes.

        Raises:
            ValueError: naming ``x`` for a wrong type or shape, or when no class is seen yet.
        """
        features = self.check_features(x)
        weight, bias = self.readout()
        return self.mask_unseen(features @ weight.T + bias).to(x.dtype)

    def _load_from_state_dict(self, *args: Any, **kwargs: Any) -> None:
        self._readout = None
        super()._load_from_state_dict(*args, **kwargs)

    def _apply(self, fn: Any, *args: Any, **kwargs: Any) -> StreamingLDA:
        self._readout = None  # .to(device) moves the statistics; the read-out follows them
        return super()._apply(fn, *args, **kwargs)
