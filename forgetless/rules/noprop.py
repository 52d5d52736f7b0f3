"""NoProp, discrete time: T blocks, each learns on its own to denoise a noisy label embedding.

From Li, Teh & Pascanu (2025), "NoProp: Training Neural Networks without Back-propagation or
Forward-propagation". Class embeddings ``u_y = W_embed[y]``; block t (t = 1..T) sees the image x
and ``z_{t−1} ~ q(z_{t−1} | y) = N(√ᾱ_{t−1} u_y, (1 − ᾱ_{t−1}) I)`` and predicts the clean
embedding ``û_t = softmax(logits_t(x, z_{t−1})) · W_embed``. Its loss is its own term of

    E[−log p̂(y | z_T)] + KL(q(z_0|y) ‖ N(0, I)) + (T/2) η E_t[(SNR(t) − SNR(t−1)) ‖û_t − u_y‖²],

i.e. block t minimises ``(T/2) · η · (SNR(t) − SNR(t−1)) · ‖û_t − u_y‖²`` (η = 0.1), and the
output head ``p̂(y | z_T) = softmax(head(z_T))`` with ``z_T ~ q(z_T | y)`` minimises the
cross-entropy plus the KL term (0 when ᾱ_0 = 0 and the embeddings are fixed). Every block (and
then the head) is updated with its own backward and optimizer step; no gradient crosses blocks.
The schedule is :mod:`forgetless.rules.noise_schedule` (noise at t = 0, label at t = T).

Inference: ``z_0 ~ N(0, I)``, ``z_t = a_t û_t(x, z_{t−1}) + b_t z_{t−1} + √c_t ε``, prediction
``argmax head(z_T)``. Options:
- ``inference="stochastic"`` is that chain; ``"deterministic"`` (the default of :meth:`logits`,
  so evaluation is reproducible) starts from the prior mean ``z_0 = 0`` and drops the noise,
  ``z_t = a_t û_t + b_t z_{t−1}`` (the posterior mean at every step).
- ``embedding="onehot"`` (default): ``W_embed = I_C``, fixed; ``"learned"``: a trainable
  ``[C, embed_dim]`` matrix initialised to the identity (``embed_dim = C``) or to orthonormal rows;
  it then receives the gradient of every block's loss and of the head's loss, each applied by that
  term's own optimizer step (so it moves T + 1 times per batch).
- block network ``backbone="mlp"``: ``x → dense layers (hidden)``, ``z → Linear → act``, the two
  concatenated → Linear → act → Linear → logits; ``backbone="cnn"`` replaces the x branch with
  two conv(3×3) → act → max-pool stages on ``image_shape`` then a Linear to ``hidden[-1]``
  (:class:`~forgetless.rules.conv_encoder.ConvEncoder`, ``cnn_channels`` per stage).
- the output head starts as the embedding read-out ``head(z) = z · W_embedᵀ`` (identity for
  one-hot embeddings), so an untrained head already picks the nearest class embedding.
- every block is trained on every batch (the sum over t rather than one sampled t).
- ``mask_unseen=True`` (off by default; on in the recipe) restricts every block's softmax and
  the prediction to the classes seen in training so far, as an output layer that grows with the
  classes would (Avalanche's ``IncrementalClassifier``); why class-incremental learning needs it:
  docs/recipes.md ("Rules train at their recipe").
- the flow-matching variant is :mod:`forgetless.rules.noprop_fm`, continuous time
  :mod:`forgetless.rules.noprop_ct`.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from forgetless.checks import one_of
from forgetless.rules.activation import make_activation
from forgetless.rules.base import Rule
from forgetless.rules.conv_encoder import ConvEncoder, check_backbone, check_channels
from forgetless.rules.entry import RuleEntry, RuleRecipe
from forgetless.rules.layers import check_hidden, dense_stack
from forgetless.rules.noise_schedule import (
    cosine_alpha_bar,
    posterior_coefficients,
    prior_kl,
    run_posterior_chain,
    snr,
)

INFERENCE_MODES = ("deterministic", "stochastic")
EMBEDDINGS = ("onehot", "learned")


class DenoisingBlock(nn.Module):
    """One NoProp block: (x, z_{t−1}) → class logits, whose softmax weighs the embeddings."""

    def __init__(
        self,
        in_features: int,
        embed_dim: int,
        num_classes: int,
        hidden: tuple[int, ...],
        activation: str,
        activation_params: dict,
        backbone: str,
        image_shape: Sequence[int] | None,
        cnn_channels: Sequence[int] = (32, 64),
    ) -> None:
        super().__init__()
        width = hidden[-1]
        if backbone == "cnn":
            self.x_branch: nn.Module = ConvEncoder(
                image_shape, width, activation, activation_params, cnn_channels
            )
        else:
            self.x_branch = nn.Sequential(
                *dense_stack(in_features, hidden, activation, activation_params)
            )
        self.z_branch = nn.Sequential(
            nn.Linear(embed_dim, width), make_activation(activation, **activation_params)
        )
        self.fuse = nn.Sequential(
            nn.Linear(2 * width, width),
            make_activation(activation, **activation_params),
            nn.Linear(width, num_classes),
        )

    def forward(self, x_flat: Tensor, z: Tensor) -> Tensor:
        return self.fuse(torch.cat([self.x_branch(x_flat), self.z_branch(z)], dim=1))


def time_conditioned_block(
    in_features: int,
    num_classes: int,
    hidden: tuple[int, ...],
    activation: str,
    activation_params: dict | None,
    backbone: str,
    image_shape: Sequence[int] | None,
) -> DenoisingBlock:
    """A :class:`DenoisingBlock` whose z input is ``[z_t, t]`` (C + 1 values) and whose C outputs
    are read as the continuous-time denoiser's logits or the flow-matching velocity."""
    return DenoisingBlock(
        in_features,
        num_classes + 1,
        num_classes,
        hidden,
        activation,
        activation_params or {},
        backbone,
        image_shape,
    )


class NoPropDTRule(Rule):
    """NoProp discrete-time: T independently trained denoising blocks plus an output head.

    Args:
        in_features, num_classes: input size and number of classes.
        hidden, activation, activation_params: the hidden widths and activation (registry name).
        T: number of blocks (>= 1); eta: the denoising terms' weight η (> 0).
        embedding: ``"onehot"`` or ``"learned"``; embed_dim: its width (None: C).
        inference: ``"deterministic"`` or ``"stochastic"`` chain in :meth:`logits`.
        backbone, image_shape, cnn_channels: ``"mlp"`` or ``"cnn"`` x branch.
        mask_unseen: softmax and prediction over the classes seen so far.

    Raises:
        ValueError: an option out of range or unknown.
    """

    def __init__(
        self,
        in_features: int,
        num_classes: int,
        hidden: Sequence[int] = (256,),
        activation: str = "relu",
        activation_params: dict | None = None,
        T: int = 10,
        eta: float = 0.1,
        embedding: str = "onehot",
        embed_dim: int | None = None,
        inference: str = "deterministic",
        backbone: str = "mlp",
        image_shape: Sequence[int] | None = None,
        cnn_channels: Sequence[int] = (32, 64),
        mask_unseen: bool = False,
    ) -> None:
        super().__init__(in_features, num_classes)
        if not isinstance(mask_unseen, bool):
            raise ValueError(f"mask_unseen must be a bool, got {mask_unseen!r}")
        self.mask_unseen = mask_unseen
        if mask_unseen:  # classes seen in training so far
            self.register_buffer("seen", torch.zeros(num_classes, dtype=torch.bool))
        if not isinstance(T, int) or T < 1:
            raise ValueError(f"T must be an int >= 1 (number of blocks), got {T!r}")
        if not eta > 0:
            raise ValueError(f"eta must be > 0, got {eta!r}")
        one_of("embedding", embedding, EMBEDDINGS)
        one_of("inference", inference, INFERENCE_MODES)
        check_backbone(backbone, image_shape, in_features)
        embed_dim = num_classes if embed_dim is None else embed_dim
        if not isinstance(embed_dim, int) or embed_dim < 1:
            raise ValueError(f"embed_dim must be a positive int, got {embed_dim!r}")
        if embedding == "onehot" and embed_dim != num_classes:
            raise ValueError(
                f"embed_dim must equal num_classes={num_classes} for embedding='onehot', "
                f"got {embed_dim}"
            )
        self.hidden = check_hidden(hidden)
        self.T = T
        self.eta = float(eta)
        self.embedding = embedding
        self.inference = inference
        alpha_bar = cosine_alpha_bar(T)
        a, b, c = posterior_coefficients(alpha_bar)
        ratio = snr(alpha_bar)
        self.register_buffer("alpha_bar", alpha_bar.float())
        self.register_buffer("snr_gain", (ratio[1:] - ratio[:-1]).float())
        self.register_buffer("coef_a", a.float())
        self.register_buffer("coef_b", b.float())
        self.register_buffer("coef_c", c.float())
        init = torch.eye(num_classes) if embed_dim == num_classes else None
        if init is None:
            init = torch.empty(num_classes, embed_dim)
            nn.init.orthogonal_(init)
        if embedding == "learned":
            self.embed = nn.Parameter(init)
        else:
            self.register_buffer("embed", init)
        params = activation_params or {}
        self.blocks = nn.ModuleList(
            DenoisingBlock(
                in_features,
                embed_dim,
                num_classes,
                self.hidden,
                activation,
                params,
                backbone,
                image_shape,
                check_channels(cnn_channels),
            )
            for _ in range(T)
        )
        self.head = nn.Linear(embed_dim, num_classes)
        with torch.no_grad():
            self.head.weight.copy_(init)
            self.head.bias.zero_()

    def masked(self, logits: Tensor) -> Tensor:
        """``logits`` with the classes not seen so far at −inf (with ``mask_unseen``)."""
        if not self.mask_unseen or not bool(self.seen.any()):
            return logits
        return logits.masked_fill(~self.seen, float("-inf"))

    def denoise(self, t: int, x_flat: Tensor, z_prev: Tensor) -> Tensor:
        """``û_t = softmax(block_t(x, z_{t−1})) · W_embed`` for step t in 1..T."""
        logits = self.masked(self.blocks[t - 1](x_flat, z_prev))
        return F.softmax(logits, dim=1) @ self.embed

    def noisy_embedding(self, t: int, u: Tensor) -> Tensor:
        """A draw of ``z_t ~ N(√ᾱ_t u, (1 − ᾱ_t) I)``."""
        ab = self.alpha_bar[t]
        return ab.sqrt() * u + (1.0 - ab).sqrt() * torch.randn_like(u)

    def run_chain(self, x: Tensor, inference: str | None = None) -> Tensor:
        """``z_T`` from the inference chain, noise (t = 0) → label embedding (t = T)."""
        mode = one_of(
            "inference", self.inference if inference is None else inference, INFERENCE_MODES
        )
        flat = self.flatten_input(x)
        return run_posterior_chain(
            lambda t, z: self.denoise(t, flat, z),
            (self.coef_a[: self.T], self.coef_b[: self.T], self.coef_c[: self.T]),
            flat,
            self.embed.shape[1],
            mode,
        )

    def logits(self, x: Tensor, inference: str | None = None) -> Tensor:
        return self.masked(self.head(self.run_chain(x, inference)))

    def train_step(
        self, x: Tensor, y: Tensor, optimizer: torch.optim.Optimizer
    ) -> dict[str, float]:
        y = self.check_targets(x, y)
        flat = self.flatten_input(x).detach()
        if self.mask_unseen:
            self.seen[y] = True
        losses = {}
        for t in range(1, self.T + 1):
            u = self.embed[y]
            z_prev = self.noisy_embedding(t - 1, u).detach()
            error = (self.denoise(t, flat, z_prev) - u).pow(2).sum(dim=1).mean()
            loss = 0.5 * self.T * self.eta * self.snr_gain[t - 1] * error
            losses[f"loss_block{t}"] = self.local_update(loss, optimizer)
        u = self.embed[y]
        z_last = self.noisy_embedding(self.T, u)
        ab0 = self.alpha_bar[0]
        head_loss = F.cross_entropy(self.head(z_last), y) + prior_kl(u, ab0).mean()
        losses["loss_head"] = self.local_update(head_loss, optimizer)
        losses["loss"] = sum(losses.values())
        return losses


ENTRY = RuleEntry(
    "noprop",
    NoPropDTRule,
    RuleRecipe({"mask_unseen": True}, {"name": "adamw", "lr": 1e-3, "weight_decay": 1e-3}, 40),
)
