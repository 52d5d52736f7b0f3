"""Nearest class mean: the class whose running mean is closest to the input (Euclidean).

As in "Distance-Based Image Classification: Generalizing to New Classes at Near-Zero Cost"
(Mensink, Verbeek, Perronnin, Csurka, TPAMI 2013) and iCaRL's nearest-mean-of-exemplars rule.
The means are exact running means (:class:`~forgetless.heads.class_means.ClassMeanHead`). Design
notes: docs/heads.md.
"""

from __future__ import annotations

import torch

from forgetless.heads.class_means import ClassMeanHead


class NearestClassMean(ClassMeanHead):
    """Logits ``−‖x − μ_c‖²`` over the classes seen so far, ``−inf`` for the others.

    Args:
        num_features: the length ``d`` of one feature vector.
        num_classes: the number of classes ``C``; labels are ``0..C-1``.

    Raises:
        ValueError: naming ``num_features`` or ``num_classes`` unless each is a positive int.
    """

    @torch.no_grad()
    def update(self, x: torch.Tensor, y: torch.Tensor) -> None:
        """Add the samples ``x`` ``(N, d)`` with labels ``y`` ``(N,)`` to the class means.

        Raises:
            ValueError: naming ``x`` or ``y`` for a wrong type, shape, value or label.
        """
        x = self.check_features(x)
        y = self.check_labels(y, x.shape[0])
        self.merge_means(*self.batch_means(x, y))

    @torch.no_grad()
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``(N, C)`` in ``x``'s dtype, computed in float64.

        Raises:
            ValueError: naming ``x`` for a wrong type or shape, or when no class is seen yet.
        """
        features = self.check_features(x)
        distance = (
            features.pow(2).sum(1, keepdim=True)
            - 2.0 * features @ self.means.T
            + self.means.pow(2).sum(1).unsqueeze(0)
        )
        return self.mask_unseen(-distance).to(x.dtype)
