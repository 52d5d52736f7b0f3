"""NoProp, continuous time: one network denoises the label embedding at any t ∈ [0, 1].

From Li, Teh & Pascanu (2025), "NoProp: Training Neural Networks without Back-propagation or
Forward-propagation", continuous-time variant. Noise at t = 0, the label at t = 1:
``z_t ~ q(z_t | y) = N(√ᾱ(t) u_y, (1 − ᾱ(t)) I)`` with a **learnable** schedule
``ᾱ(t) = sigmoid(g(t))``, ``SNR(t) = exp(g(t))``. One network ``û(x, z_t, t)`` (softmax over the
classes times ``W_embed``) is trained with

    E[−log p̂(y | z_1)] + KL(q(z_0|y) ‖ N(0, I)) + (η/2) E_{t~U(0,1)}[SNR'(t) ‖û(x, z_t, t) − u_y‖²],

η = 1 (METHODS.md), one t per sample per batch; the output head ``p̂(y | z_1) = softmax(head(z_1))``
with ``z_1 ~ q(z_1 | y)``. Nothing is back-propagated along t: each sample's loss involves one
evaluation of the network (and the head), so there is no chain to differentiate through.

Inference discretises [0, 1] into ``steps`` equal steps and runs NoProp-DT's Gaussian-posterior
chain on the learned ᾱ at the grid points: ``z_k = a_k û(x, z_{k−1}, t_{k−1}) + b_k z_{k−1}
(+ √c_k ε)``, then ``argmax head(z_1)``.

Options:
- schedule: ``g(t) = g_0 + (g_1 − g_0) · t`` (log-SNR linear in t) with learnable end points
  ``g_0`` and ``g_1 = g_0 + softplus(·)`` (so ᾱ is increasing: the direction of inference is
  noise → label), initialised to ``g_0 = −7`` (ᾱ(0) ≈ 9e-4), ``g_1 = 7`` (ᾱ(1) ≈ 0.999). In
  continuous time the expected denoising term depends on the schedule only through its end
  points (``∫ SNR'(t) f(SNR(t)) dt`` is an integral over SNR), so learning the end points is what
  a learnable schedule changes in expectation; they trade the KL and cross-entropy terms against
  the denoising term. ``learn_schedule=False`` freezes them.
- the network is NoProp-DT's :class:`~forgetless.rules.noprop.DenoisingBlock` with ``[z_t, t]``
  as its z input; fixed one-hot embeddings (``W_embed = I_C``); the head starts as the identity.
- ``inference="deterministic"`` (default) starts from ``z_0 = 0`` and drops the noise;
  ``"stochastic"`` starts from ``z_0 ~ N(0, I)`` and adds it.
- ``weighting="elbo"`` (default, the paper's objective) weighs each sample's denoising error by
  ``SNR'(t)``; ``"uniform"`` drops that weight (every t counts alike, as in the "simple" loss of
  denoising diffusion models): no longer the ELBO; how the two compare: docs/rules.md.
- one optimizer step per batch on the sum of the three terms (the network, the head and the
  schedule are separate parameters; only the head sees the cross-entropy term).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from forgetless.checks import one_of
from forgetless.rules.base import Rule
from forgetless.rules.conv_encoder import check_backbone
from forgetless.rules.entry import ADAM, RuleEntry, RuleRecipe
from forgetless.rules.layers import check_hidden
from forgetless.rules.noise_schedule import posterior_coefficients, prior_kl, run_posterior_chain
from forgetless.rules.noprop import INFERENCE_MODES, time_conditioned_block

G_START, G_END = -7.0, 7.0
WEIGHTINGS = ("elbo", "uniform")


class LinearLogSNRSchedule(nn.Module):
    """``ᾱ(t) = sigmoid(g_0 + (g_1 − g_0) t)`` with learnable ``g_0`` and ``g_1 > g_0``."""

    def __init__(self, g_start: float = G_START, g_end: float = G_END, learn: bool = True):
        super().__init__()
        if not g_end > g_start:
            raise ValueError(f"schedule end points: need g_end > g_start, got {g_start}, {g_end}")
        span = g_end - g_start
        self.g_start = nn.Parameter(torch.tensor(float(g_start)), requires_grad=learn)
        # softplus⁻¹(span), so that softplus(raw_span) = span
        raw = span + math.log(-math.expm1(-span))
        self.raw_span = nn.Parameter(torch.tensor(raw), requires_grad=learn)

    def span(self) -> Tensor:
        """``g_1 − g_0`` (positive)."""
        return F.softplus(self.raw_span)

    def log_snr(self, t: Tensor) -> Tensor:
        """``g(t)``."""
        return self.g_start + self.span() * t

    def alpha_bar(self, t: Tensor) -> Tensor:
        """``ᾱ(t) = sigmoid(g(t))``."""
        return torch.sigmoid(self.log_snr(t))

    def snr_slope(self, t: Tensor) -> Tensor:
        """``SNR'(t) = exp(g(t)) · (g_1 − g_0)``."""
        return torch.exp(self.log_snr(t)) * self.span()


class NoPropCTRule(Rule):
    """NoProp continuous time: one time-conditioned denoiser, a learnable schedule, a head.

    Args:
        in_features, num_classes: input size and number of classes.
        hidden, activation, activation_params: the hidden widths and activation (registry name).
        steps: inference steps (>= 1); eta: the denoising term's weight η (> 0).
        inference: ``"deterministic"`` or ``"stochastic"`` chain.
        learn_schedule: learn the schedule's end points ``g_0``, ``g_1``.
        weighting: ``"elbo"`` (``SNR'(t)``) or ``"uniform"``.
        backbone, image_shape: ``"mlp"`` or ``"cnn"`` x branch.

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
        steps: int = 20,
        eta: float = 1.0,
        inference: str = "deterministic",
        learn_schedule: bool = True,
        weighting: str = "elbo",
        backbone: str = "mlp",
        image_shape: Sequence[int] | None = None,
    ) -> None:
        super().__init__(in_features, num_classes)
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
            raise ValueError(f"steps must be an int >= 1 (inference steps), got {steps!r}")
        if not eta > 0:
            raise ValueError(f"eta must be > 0, got {eta!r}")
        one_of("inference", inference, INFERENCE_MODES)
        one_of("weighting", weighting, WEIGHTINGS)
        check_backbone(backbone, image_shape, in_features)
        self.hidden = check_hidden(hidden)
        self.weighting = weighting
        self.steps = steps
        self.eta = float(eta)
        self.inference = inference
        self.register_buffer("embed", torch.eye(num_classes))
        self.schedule = LinearLogSNRSchedule(learn=learn_schedule)
        self.denoiser = time_conditioned_block(
            in_features,
            num_classes,
            self.hidden,
            activation,
            activation_params,
            backbone,
            image_shape,
        )
        self.head = nn.Linear(num_classes, num_classes)
        with torch.no_grad():
            self.head.weight.copy_(torch.eye(num_classes))
            self.head.bias.zero_()

    def denoise(self, x_flat: Tensor, z: Tensor, t: Tensor) -> Tensor:
        """``û(x, z_t, t) = softmax(net(x, [z_t, t])) · W_embed``; ``t`` is ``[N]``."""
        return F.softmax(self.denoiser(x_flat, torch.cat([z, t[:, None]], dim=1)), dim=1) @ (
            self.embed
        )

    def sample_z(self, t: Tensor, u: Tensor) -> Tensor:
        """A draw of ``z_t ~ N(√ᾱ(t) u, (1 − ᾱ(t)) I)`` (differentiable in the schedule)."""
        ab = self.schedule.alpha_bar(t)[:, None]
        return ab.sqrt() * u + (1.0 - ab).sqrt() * torch.randn_like(u)

    @torch.no_grad()
    def run_chain(self, x: Tensor, inference: str | None = None) -> Tensor:
        """``z_1`` from the discretised chain, noise (t = 0) → label embedding (t = 1)."""
        mode = one_of(
            "inference", self.inference if inference is None else inference, INFERENCE_MODES
        )
        flat = self.flatten_input(x)
        grid = torch.linspace(0.0, 1.0, self.steps + 1, device=flat.device)
        coefficients = posterior_coefficients(self.schedule.alpha_bar(grid).double())

        def denoise(k: int, z: Tensor) -> Tensor:  # step k runs from grid[k − 1] to grid[k]
            return self.denoise(flat, z, flat.new_full((flat.shape[0],), float(grid[k - 1])))

        return run_posterior_chain(denoise, coefficients, flat, self.num_classes, mode)

    def logits(self, x: Tensor, inference: str | None = None) -> Tensor:
        return self.head(self.run_chain(x, inference))

    def train_step(
        self, x: Tensor, y: Tensor, optimizer: torch.optim.Optimizer
    ) -> dict[str, float]:
        y = self.check_targets(x, y)
        flat = self.flatten_input(x).detach()
        u = self.embed[y]
        t = torch.rand(flat.shape[0], device=flat.device)
        error = (self.denoise(flat, self.sample_z(t, u), t) - u).pow(2).sum(dim=1)
        weight = self.schedule.snr_slope(t) if self.weighting == "elbo" else 1.0
        denoise = 0.5 * self.eta * (weight * error).mean()
        one = torch.ones_like(t)
        head = F.cross_entropy(self.head(self.sample_z(one, u)), y)
        kl = prior_kl(u, self.schedule.alpha_bar(torch.zeros(1, device=flat.device))).mean()
        loss = denoise + head + kl
        total = self.local_update(loss, optimizer)
        return {
            "loss_denoise": float(denoise.detach()),
            "loss_head": float(head.detach()),
            "loss_kl": float(kl.detach()),
            "loss": total,
        }


ENTRY = RuleEntry("noprop_ct", NoPropCTRule, RuleRecipe({"weighting": "uniform"}, dict(ADAM), 130))
