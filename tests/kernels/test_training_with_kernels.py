"""A small model trained a few steps with the fused kernels matches one trained on references."""

from functools import partial

import pytest
import torch
from torch import nn

pytest.importorskip("triton")
pytestmark = pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")

from forgetless.activations import activation_specs  # noqa: E402
from forgetless.resolve import resolve  # noqa: E402

SPECS = [spec for spec in activation_specs() if spec.fused is not None]
REFERENCE = {spec.name: spec.reference for spec in SPECS}
# dispatch hands every fused function its reference (run for unsupported calls); so does this.
FUSED = {spec.name: partial(resolve(spec.fused), spec.reference) for spec in SPECS}
WIDTH = 12


class EveryActivation(nn.Module):
    """Linear layers separated by every activation, with learnable per-unit parameters."""

    def __init__(self, ops: dict) -> None:
        super().__init__()
        self.ops = ops
        self.layers = nn.ModuleList([nn.Linear(8, WIDTH)])
        self.layers.extend(nn.Linear(WIDTH, WIDTH) for _ in range(6))
        self.head = nn.Linear(WIDTH, 3)
        self.log_sigma = nn.Parameter(torch.zeros(WIDTH))
        self.log_h = nn.Parameter(torch.zeros(WIDTH))
        self.kappa = nn.Parameter(torch.full((WIDTH,), 1.0))
        self.lam = nn.Parameter(torch.full((WIDTH,), 0.8))
        self.kappa_gate = nn.Parameter(torch.full((1,), 1.2))
        self.lam_gate = nn.Parameter(torch.full((1,), 1.0))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        op = self.ops
        x = op["learnable_elephant"](self.layers[0](x), self.log_sigma, self.log_h, 4.0, 1)
        x = op["aglu"](self.layers[1](x), self.kappa, self.lam, 1)
        x = op["ash"](self.layers[2](x), 3.0, 0.5, None)
        x = op["tempered_sigmoid"](self.layers[3](x), 2.0, 2.0, 1.0)
        x = op["hard_ash"](self.layers[4](x), 2.0, 0.0, None)
        x = x * op["apa"](self.layers[5](x), self.kappa_gate, self.lam_gate, 1)
        x = op["elephant"](self.layers[6](x), 1.0, 2.0)
        return self.head(x)


def _train(ops: dict, steps: int = 4) -> tuple[list[float], nn.Module]:
    torch.manual_seed(0)
    model = EveryActivation(ops)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    gen = torch.Generator().manual_seed(1)
    inputs = torch.randn(16, 8, generator=gen)
    targets = torch.randint(0, 3, (16,), generator=gen)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses, model


def test_training_with_kernels_matches_training_with_references():
    fused_losses, fused_model = _train(FUSED)
    ref_losses, ref_model = _train(REFERENCE)
    assert fused_losses == pytest.approx(ref_losses, rel=1e-4)
    assert fused_losses[-1] < fused_losses[0]  # it does learn
    for (name, p), q in zip(fused_model.named_parameters(), ref_model.parameters(), strict=True):
        torch.testing.assert_close(p, q, atol=1e-4, rtol=1e-4, msg=f"parameter {name} differs")
    # The activation parameters did receive gradient (they moved from their initial values).
    for name in ("log_sigma", "log_h", "kappa", "lam", "kappa_gate", "lam_gate"):
        initial = getattr(EveryActivation(FUSED), name)
        assert not torch.equal(getattr(fused_model, name), initial), name
