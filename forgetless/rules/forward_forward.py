"""Forward-Forward: every layer learns to give high goodness to positive data, low to negative.

From Hinton (2022), "The Forward-Forward Algorithm: Some Preliminary Investigations".
Layer i maps its (detached) input to ``y_i = act(W_i x_i + b_i)``; its goodness is
``G_i = Σ_j y_ij²`` and ``p(positive) = σ(G_i − θ_i)``. The layer's loss is binary cross-entropy
with logits ``G_i − θ_i``: target 1 for the input carrying the true label (positive), 0 for the
same input carrying a wrong label drawn uniformly from the other classes (negative). Between layers
the hidden vector is length-normalised, ``x_{i+1} = y_i / (rms(y_i) + ε)`` (no mean subtraction),
so the next layer sees only its direction. Layers are updated one after another within a step.

Decisions:
- goodness is the **sum** of squares (``reduction="sum"``, Hinton's) and, with ``theta=None``,
  ``θ_i = n_i · ρ(φ)``: the layer's number of units (the scale of the loeweX reproduction) times
  the activation's mean square at ReLU's operating point relative to ReLU's,
  ``ρ(φ) = E[φ(√2 z)²] / E[relu(√2 z)²]``, ``z ~ N(0, 1)``
  (:func:`forgetless.rules.ff_threshold.goodness_scale`; ρ = 1 for ReLU, 0.32 for the elephant,
  0.44 for Hard ASH, 0.52 for tanh). θ = n_i is out of reach for an activation bounded by 1 and
  Forward-Forward did not learn with tanh, the elephant or Hard ASH (LA 0.10 to 0.23 on
  Split-MNIST, docs/recipes.md). ``reduction="mean"`` uses ``mean_j y_ij²`` with default
  ``θ = 2 · ρ(φ)`` (2: the scale of the mpezeshki code), a gentler logit scale that trains more
  stably with Adam. A float ``theta`` > 0 sets every layer's threshold;
- the label is written into the first C input values (``label_value`` · one-hot); the input must
  have more than C features;
- prediction mode ``"goodness"`` runs the input once per label and scores label c by
  ``Σ_{i≥2} G_i`` (the first layer is excluded; with a single layer it is used);
  mode ``"linear"`` is the one-pass classifier: a linear head on the normalised activities of
  layers 2..L (all layers if L = 1) for the input carrying the neutral label (``1/C`` each). The
  head is trained every step by cross-entropy on detached features, so both modes are always
  available; ``predict_mode`` chooses what :meth:`logits` returns. The head is stored as one
  linear map per scored layer whose outputs are summed (the same classifier as one map on the
  concatenation) so that neither prediction nor its training ever holds all layers' activities:
  the memory of a step stays flat as depth grows.
- negative labels: ``negatives="random"`` (default) draws them uniformly from the wrong classes;
  ``"hard"`` draws them in proportion to the network's own belief, ``p(c) ∝ exp(score_c)`` over
  ``c ≠ y`` with the goodness-prediction scores of the current weights (Hinton's suggestion of
  using the model's predictions to pick negative labels; it costs one no-grad goodness
  evaluation over the C labels per batch);
- the aids of the loeweX reproduction (:mod:`forgetless.rules.ff_stabilisers`) are options, off
  by default: ``input_norm=True`` length-normalises the labelled input before layer 1 too,
  ``straight_through=True`` passes the gradient through the activation unchanged (parameter-free
  activations only: a learnable activation would get no gradient), ``peer_normalization=w`` adds
  the peer-normalisation loss with weight w to every layer's loss, ``init="normal"`` draws
  ``W ~ N(0, 1/out_features)``, ``b = 0``. ``recipe="loewex"`` turns them all on with that
  code's values (input norm, straight-through, peer normalisation 0.03, normal init; with the
  defaults sum goodness, θ = width (ReLU), label value 1 that is its whole model); explicit
  arguments still override it. The recipe turns straight-through on only where the identity has the sign
  of ``φ'``: a parameter-free activation that acts unit by unit and never decreases (ReLU, tanh;
  :func:`forgetless.rules.ff_threshold.straight_through_fits`). It stays off for a learnable
  activation (APA, AGLU, learnable elephant: their parameters would get no gradient), for a
  non-monotone one (the elephant's bump, GELU, SiLU) and for one that standardises its input
  (the registry's elephant, ASH, Hard ASH), where it pushed the goodness the wrong way or not
  at all.

Over 300 lines, on purpose: more than half is this docstring; the code left (the layer update,
both prediction modes, the negative-label choice) shares one layer loop, and the aids and the
threshold already live in their own modules.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from forgetless.rules.base import Rule
from forgetless.rules.ff_labels import (
    draw_hard_wrong_labels,
    draw_wrong_labels,
    write_label,
    write_neutral_label,
)
from forgetless.rules.ff_stabilisers import PeerNormalisation, normal_init_, straight_through
from forgetless.rules.ff_threshold import goodness_scale, straight_through_fits
from forgetless.rules.layers import check_hidden, dense_stack

PREDICT_MODES = ("goodness", "linear")
NEGATIVES = ("random", "hard")
REDUCTIONS = ("sum", "mean")
INITS = ("torch", "normal")
MEAN_THETA = 2.0
#: The aids of the loeweX reproduction when neither an argument nor a recipe sets them: all off.
AID_DEFAULTS = {
    "input_norm": False,
    "straight_through": False,
    "peer_normalization": 0.0,
    "init": "torch",
}
#: The loeweX/Forward-Forward settings selected by ``recipe="loewex"``.
#: (It also uses this class's defaults: sum goodness, θ = width, label value 1.)
LOEWEX_RECIPE = {
    "input_norm": True,
    "straight_through": True,
    "peer_normalization": 0.03,
    "init": "normal",
}


def length_normalise(h: Tensor, eps: float = 1e-8) -> Tensor:
    """``h / (rms(h) + eps)`` per row: keeps the direction, drops the length."""
    return h / (h.pow(2).mean(dim=1, keepdim=True).sqrt() + eps)


def goodness(h: Tensor, reduction: str = "sum") -> Tensor:
    """``G = Σ_j h_j²`` per row (``reduction="mean"``: ``G = mean_j h_j²``)."""
    return h.pow(2).sum(dim=1) if reduction == "sum" else h.pow(2).mean(dim=1)


class ForwardForwardRule(Rule):
    """MLP trained layer by layer with Hinton's Forward-Forward objective."""

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
        if negatives not in NEGATIVES:
            raise ValueError(f"negatives must be one of {NEGATIVES}, got {negatives!r}")
        self.negatives = negatives
        if recipe not in (None, "loewex"):
            raise ValueError(f"recipe must be None or 'loewex', got {recipe!r}")
        base = {**AID_DEFAULTS, **(LOEWEX_RECIPE if recipe == "loewex" else {})}
        given = {
            "input_norm": input_norm,
            "straight_through": straight_through,
            "peer_normalization": peer_normalization,
            "init": init,
        }
        aids = {key: base[key] if value is None else value for key, value in given.items()}
        input_norm, straight, peer, init = aids.values()
        if init not in INITS:
            raise ValueError(f"init must be one of {INITS}, got {init!r}")
        if not peer >= 0:
            raise ValueError(f"peer_normalization must be >= 0, got {peer!r}")
        if in_features <= num_classes:
            raise ValueError(
                f"in_features={in_features} is too small to carry the label: Forward-Forward "
                f"writes it into the first num_classes={num_classes} inputs, need more"
            )
        if theta is not None and not theta > 0:
            raise ValueError(f"theta must be > 0 (or None: width × ρ(activation)), got {theta!r}")
        if predict_mode not in PREDICT_MODES:
            raise ValueError(f"predict_mode must be one of {PREDICT_MODES}, got {predict_mode!r}")
        if reduction not in REDUCTIONS:
            raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")
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
