"""Forward-Forward: every layer learns to give high goodness to positive data, low to negative.

From Hinton (2022), "The Forward-Forward Algorithm: Some Preliminary Investigations".
Layer i maps its (detached) input to ``y_i = act(W_i x_i + b_i)``; its goodness is
``G_i = Σ_j y_ij²`` (``reduction="mean"``: ``mean_j y_ij²``) and ``p(positive) = σ(G_i − θ_i)``.
The layer's loss is binary cross-entropy with logits ``G_i − θ_i``: target 1 for the input
carrying the true label (``label_value`` · one-hot in its first C values), 0 for the same input
carrying a wrong label. Between layers ``x_{i+1} = y_i / (rms(y_i) + ε)`` (no mean subtraction).
Layers are updated one after another within a step.

- threshold: ``θ_i = n_i · ρ(φ)`` (sum) or ``2 · ρ(φ)`` (mean), ``ρ(φ) = E[φ(√2 z)²] /
  E[relu(√2 z)²]`` (:func:`forgetless.rules.ff_threshold.goodness_scale`); a float ``theta``
  sets every layer's.
- prediction ``"goodness"``: label c scores ``Σ_{i≥2} G_i`` of the input carrying c (the first
  layer left out unless it is the only one); ``"linear"``: ``Σ_k head_k(norm(y_k))`` over layers
  2..L of the input carrying the neutral label ``1/C``, a linear head trained every step by
  cross-entropy on detached features, one map per scored layer so memory stays flat in depth.
- negatives ``"random"``: uniform over the wrong classes; ``"hard"``: ``p(c) ∝ exp(score_c)``,
  ``c ≠ y``, with the current weights' goodness scores.
- the loeweX aids (:mod:`forgetless.rules.ff_stabilisers`) and ``recipe="loewex"``: why each
  option is what it is, docs/rules.md ("Forward-Forward options").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from forgetless.checks import one_of
from forgetless.rules.base import Rule
from forgetless.rules.entry import ADAM, RuleEntry, RuleRecipe
from forgetless.rules.ff_labels import (
    draw_hard_wrong_labels,
    draw_wrong_labels,
    write_label,
    write_neutral_label,
)
from forgetless.rules.ff_stabilisers import (
    PeerNormalisation,
    chosen_aids,
    normal_init_,
    straight_through,
)
from forgetless.rules.ff_threshold import goodness_scale, straight_through_fits
from forgetless.rules.layers import check_hidden, dense_stack

PREDICT_MODES = ("goodness", "linear")
NEGATIVES = ("random", "hard")
REDUCTIONS = ("sum", "mean")
MEAN_THETA = 2.0


def length_normalise(h: Tensor, eps: float = 1e-8) -> Tensor:
    """``h / (rms(h) + eps)`` per row: keeps the direction, drops the length."""
    return h / (h.pow(2).mean(dim=1, keepdim=True).sqrt() + eps)


def goodness(h: Tensor, reduction: str = "sum") -> Tensor:
    """``G = Σ_j h_j²`` per row (``reduction="mean"``: ``G = mean_j h_j²``)."""
    return h.pow(2).sum(dim=1) if reduction == "sum" else h.pow(2).mean(dim=1)


class ForwardForwardRule(Rule):
    """MLP trained layer by layer with Hinton's Forward-Forward objective.

    Args:
        in_features, num_classes: input size (more than ``num_classes``) and number of classes.
        hidden, activation, activation_params: the layers' widths and hidden activation.
        theta: every layer's threshold (> 0); None: ``width · ρ`` (sum) or ``2 · ρ`` (mean).
        reduction: ``"sum"`` or ``"mean"`` goodness.
        label_value: the one-hot value written into the first C inputs (> 0).
        predict_mode: ``"goodness"`` or ``"linear"`` (what :meth:`logits` returns).
        generator: random generator of the negative labels (None: torch's global one).
        input_norm, straight_through, peer_normalization, init: the loeweX aids (None: off,
            or the recipe's); ``peer_momentum``: the peer running mean's momentum.
        recipe: None or ``"loewex"`` (all aids on; straight-through only where it fits).
        negatives: ``"random"`` or ``"hard"``.

    Raises:
        ValueError: an option out of range, too few inputs to carry the label, or
            ``straight_through=True`` with a learnable activation.
    """

    def __init__(
        self,
        in_features: int,
        num_classes: int,
        hidden: Sequence[int] = (256, 256),
        activation: str = "relu",
        activation_params: dict | None = None,
        theta: float | None = None,
        reduction: str = "sum",
        label_value: float = 1.0,
        predict_mode: str = "goodness",
        generator: torch.Generator | None = None,
        input_norm: bool | None = None,
        straight_through: bool | None = None,
        peer_normalization: float | None = None,
        peer_momentum: float = 0.9,
        init: str | None = None,
        recipe: str | None = None,
        negatives: str = "random",
    ) -> None:
        super().__init__(in_features, num_classes)
        one_of("negatives", negatives, NEGATIVES)
        self.negatives = negatives
        input_norm, straight, peer, init = chosen_aids(
            recipe, input_norm, straight_through, peer_normalization, init
        )
        if in_features <= num_classes:
            raise ValueError(
                f"in_features={in_features} is too small to carry the label: Forward-Forward "
                f"writes it into the first num_classes={num_classes} inputs, need more"
            )
        if theta is not None and not theta > 0:
            raise ValueError(f"theta must be > 0 (or None: width × ρ(activation)), got {theta!r}")
        one_of("predict_mode", predict_mode, PREDICT_MODES)
        one_of("reduction", reduction, REDUCTIONS)
        if not label_value > 0:
            raise ValueError(f"label_value must be > 0, got {label_value!r}")
        self.hidden = check_hidden(hidden)
        self.layers = dense_stack(in_features, self.hidden, activation, activation_params or {})
        learnable = any(True for layer in self.layers for _ in layer[1].parameters())
        act_params = activation_params or {}
        if straight and straight_through is None:  # the recipe's: only where it fits
            straight = not learnable and straight_through_fits(
                activation, act_params, self.hidden[0]
            )
        if straight and learnable:
            raise ValueError(
                f"straight_through=True needs a parameter-free activation; {activation!r} has "
                "learnable parameters that would receive no gradient"
            )
        if init == "normal":
            normal_init_(self.layers)
        self.input_norm = bool(input_norm)
        self.straight_through = bool(straight)
        self.peer_normalization = float(peer)
        self.peer = PeerNormalisation(self.hidden, peer_momentum) if peer > 0 else None
        self.reduction = reduction
        if theta:
            self.thetas = tuple(float(theta) for _ in self.hidden)
        else:
            self.thetas = tuple(
                (float(w) if reduction == "sum" else MEAN_THETA)
                * goodness_scale(activation, act_params, w)
                for w in self.hidden
            )
        self.label_value = float(label_value)
        self.predict_mode = predict_mode
        self.generator = generator
        self.heads = nn.ModuleList(
            nn.Linear(width, num_classes, bias=k == 0)
            for k, width in enumerate(self._scored(self.hidden))
        )

    def _scored(self, per_layer: Sequence) -> list:
        """The entries of layers used for prediction: 2..L, or the only one when L = 1."""
        return list(per_layer[1:]) if len(per_layer) > 1 else list(per_layer)

    @property
    def first_goodness_layer(self) -> int:
        """First layer whose goodness counts in goodness prediction: :attr:`first_scored`
        (Hinton: the first layer is weak and left out)."""
        return self.first_scored

    @property
    def first_scored(self) -> int:
        """Index of the first layer used for prediction (1, or 0 when there is one layer)."""
        return 1 if len(self.layers) > 1 else 0

    def iter_activities(self, x_flat: Tensor) -> Iterator[Tensor]:
        """Hidden activities ``y_1, …, y_L`` one at a time (earlier ones are not kept)."""
        h = x_flat
        for i, layer in enumerate(self.layers):
            h = layer(self.layer_input(i, h))
            yield h

    def layer_input(self, i: int, h: Tensor) -> Tensor:
        """What layer ``i`` sees: the previous activity length-normalised (the raw input for
        layer 0 unless ``input_norm``)."""
        return length_normalise(h) if i > 0 or self.input_norm else h

    def layer_output(self, i: int, inp: Tensor) -> Tensor:
        """Layer ``i`` on ``inp`` for training (straight-through activation gradient if set)."""
        linear, activation = self.layers[i][0], self.layers[i][1]
        if self.straight_through:
            return straight_through(linear(inp), activation)
        return activation(linear(inp))

    def activities(self, x_flat: Tensor) -> list[Tensor]:
        """Hidden activities ``[y_1, …, y_L]`` for a flat input that already carries a label."""
        return list(self.iter_activities(x_flat))

    def goodness_logits(self, x: Tensor) -> Tensor:
        """Score of label c: ``Σ_{i≥2} G_i`` for the input carrying label c, ``[N, C]``."""
        flat = self.flatten_input(x)
        columns = []
        for c in range(self.num_classes):
            labels = torch.full((flat.shape[0],), c, dtype=torch.long, device=flat.device)
            labelled = write_label(flat, labels, self.num_classes, self.label_value)
            score = flat.new_zeros(flat.shape[0])
            for i, h in enumerate(self.iter_activities(labelled)):
                if i >= self.first_goodness_layer:
                    score = score + goodness(h, self.reduction)
            columns.append(score)
        return torch.stack(columns, dim=1)

    def iter_head_features(self, x_flat: Tensor) -> Iterator[tuple[int, Tensor]]:
        """``(k, normalised activity)`` of each scored layer for the neutral-label input,
        computed without gradient, one layer at a time."""
        neutral = write_neutral_label(x_flat, self.num_classes, self.label_value)
        activities = self.iter_activities(neutral)
        for i in range(len(self.layers)):
            with torch.no_grad():
                h = next(activities)
                feature = length_normalise(h) if i >= self.first_scored else None
            if feature is not None:
                yield i - self.first_scored, feature

    def linear_logits(self, x: Tensor) -> Tensor:
        """One-pass prediction: ``Σ_k head_k(norm(y_k))`` over the scored layers, i.e. one linear
        classifier on their concatenated normalised activities (never materialised)."""
        logits = None
        for k, feature in self.iter_head_features(self.flatten_input(x)):
            part = self.heads[k](feature)
            logits = part if logits is None else logits + part
        return logits

    def train_head(self, flat: Tensor, y: Tensor, optimizer: torch.optim.Optimizer) -> float:
        """One cross-entropy step of the linear head, its memory flat in depth: a first pass
        gives the logits and ``g = ∂CE/∂logits``; a second recomputes each layer's features
        and back-propagates ``g`` into that layer's part of the head only."""
        with torch.no_grad():
            logits = self.linear_logits(flat)
            loss = F.cross_entropy(logits, y)
            g = (F.softmax(logits, dim=1) - F.one_hot(y, self.num_classes).float()) / len(y)
        optimizer.zero_grad(set_to_none=True)
        for k, feature in self.iter_head_features(flat):
            self.heads[k](feature).backward(g)
        optimizer.step()
        return float(loss)

    def logits(self, x: Tensor) -> Tensor:
        if self.predict_mode == "goodness":
            return self.goodness_logits(x)
        return self.linear_logits(x)

    def goodness_offsets(self, h0: Tensor) -> list[Tensor]:
        """Term added to each layer's logit ``G_i − θ_i``; zero for plain Forward-Forward."""
        return [torch.zeros((), device=h0.device) for _ in self.layers]

    def train_step(
        self, x: Tensor, y: Tensor, optimizer: torch.optim.Optimizer
    ) -> dict[str, float]:
        y = self.check_targets(x, y)
        flat = self.flatten_input(x).detach()
        if self.negatives == "hard":
            with torch.no_grad():
                scores = self.goodness_logits(flat)
            wrong = draw_hard_wrong_labels(scores, y, self.generator)
        else:
            wrong = draw_wrong_labels(y, self.num_classes, self.generator)
        pos = write_label(flat, y, self.num_classes, self.label_value)
        neg = write_label(flat, wrong, self.num_classes, self.label_value)
        h = torch.cat([pos, neg])
        target = torch.cat([torch.ones_like(y), torch.zeros_like(y)]).float()
        offsets = self.goodness_offsets(h)
        losses = {}
        for i in range(len(self.layers)):
            out = self.layer_output(i, self.layer_input(i, h).detach())
            logit = goodness(out, self.reduction) - self.thetas[i] + offsets[i]
            loss = F.binary_cross_entropy_with_logits(logit, target)
            if self.peer is not None:
                peer = self.peer.loss(i, out[: y.shape[0]])
                loss = loss + self.peer_normalization * peer
            losses[f"loss_layer{i + 1}"] = self.local_update(loss, optimizer)
            h = out.detach()
        losses["loss_head"] = self.train_head(flat, y, optimizer)
        losses["loss"] = sum(losses.values())
        return losses


#: The loeweX aids and hard negative labels, Adam 1e-3, 150 steps per experience.
RECIPE = RuleRecipe({"recipe": "loewex", "negatives": "hard"}, dict(ADAM), 150)
ENTRY = RuleEntry("forward_forward", ForwardForwardRule, RECIPE)
