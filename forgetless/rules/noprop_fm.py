"""NoProp flow matching: one network learns the velocity that carries noise to the label.

From Li, Teh & Pascanu (2025), "NoProp: Training Neural Networks without Back-propagation or
Forward-propagation", flow-matching variant. With ``z_0 ~ N(0, I)`` and the class embedding
``u_y``, the path ``z_t = t · u_y + (1 − t) · z_0`` (t ∈ [0, 1], noise at t = 0, the label at
t = 1) has velocity ``u_y − z_0``; the network ``v(x, z_t, t)`` regresses it,

    loss = E_{t ~ U(0, 1), z_0} ‖v(x, z_t, t) − (u_y − z_0)‖²,

one local loss per step (a single network, no chain of blocks to back-propagate through).
Inference integrates ``dz/dt = v`` with ``steps`` Euler steps from t = 0 to t = 1.

Options:
- embeddings are fixed one-hot (``W_embed = I_C``); the network is NoProp-DT's
  :class:`~forgetless.rules.noprop.DenoisingBlock` whose z input is ``[z_t, t]`` and whose C
  outputs are the velocity itself (no softmax: the velocity is unbounded);
- the prediction is the nearest embedding, ``logits_c = −‖z_1 − u_c‖²``, so there is no head;
- ``inference="deterministic"`` starts from ``z_0 = 0`` (the prior mean), ``"stochastic"`` from
  ``z_0 ~ N(0, I)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor

from forgetless.checks import one_of
from forgetless.rules.base import Rule
from forgetless.rules.conv_encoder import check_backbone
from forgetless.rules.entry import ADAM, RuleEntry, RuleRecipe
from forgetless.rules.layers import check_hidden
from forgetless.rules.noprop import INFERENCE_MODES, time_conditioned_block


class NoPropFMRule(Rule):
    """NoProp flow matching with fixed one-hot class embeddings.

    Args:
        in_features, num_classes: input size and number of classes.
        hidden, activation, activation_params: the hidden widths and activation (registry name).
        steps: Euler steps (>= 1).
        inference: ``"deterministic"`` (``z_0 = 0``) or ``"stochastic"``.
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
        steps: int = 10,
        inference: str = "deterministic",
        backbone: str = "mlp",
        image_shape: Sequence[int] | None = None,
    ) -> None:
        super().__init__(in_features, num_classes)
        if not isinstance(steps, int) or steps < 1:
            raise ValueError(f"steps must be an int >= 1 (Euler steps), got {steps!r}")
        one_of("inference", inference, INFERENCE_MODES)
        check_backbone(backbone, image_shape, in_features)
        self.hidden = check_hidden(hidden)
        self.steps = steps
        self.inference = inference
        self.register_buffer("embed", torch.eye(num_classes))
        self.velocity = time_conditioned_block(
            in_features,
            num_classes,
            self.hidden,
            activation,
            activation_params,
            backbone,
            image_shape,
        )

    def velocity_at(self, x_flat: Tensor, z: Tensor, t: Tensor) -> Tensor:
        """``v(x, z_t, t)``; ``t`` is ``[N]``."""
        return self.velocity(x_flat, torch.cat([z, t[:, None]], dim=1))

    def run_flow(self, x: Tensor, inference: str | None = None) -> Tensor:
        """``z_1`` by Euler integration from t = 0 (noise) to t = 1 (label)."""
        mode = one_of(
            "inference", self.inference if inference is None else inference, INFERENCE_MODES
        )
        flat = self.flatten_input(x)
        z = flat.new_zeros(flat.shape[0], self.num_classes)
        if mode == "stochastic":
            z.normal_()
        dt = 1.0 / self.steps
        for k in range(self.steps):
            t = flat.new_full((flat.shape[0],), k * dt)
            z = z + dt * self.velocity_at(flat, z, t)
        return z

    def logits(self, x: Tensor, inference: str | None = None) -> Tensor:
        z = self.run_flow(x, inference)
        return -(z[:, None, :] - self.embed[None]).pow(2).sum(dim=2)

    def train_step(
        self, x: Tensor, y: Tensor, optimizer: torch.optim.Optimizer
    ) -> dict[str, float]:
        y = self.check_targets(x, y)
        flat = self.flatten_input(x).detach()
        u = self.embed[y]
        z0 = torch.randn_like(u)
        t = torch.rand(flat.shape[0], device=flat.device)
        z_t = t[:, None] * u + (1.0 - t[:, None]) * z0
        loss = (self.velocity_at(flat, z_t, t) - (u - z0)).pow(2).sum(dim=1).mean()
        return {"loss": self.local_update(loss, optimizer)}


ENTRY = RuleEntry("noprop_fm", NoPropFMRule, RuleRecipe({}, dict(ADAM), 130))
