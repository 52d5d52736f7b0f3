"""Per-entry Adam step counts (``forgetless.plasticity.adam_steps``): torch's Adam with the
correction follows an Adam that keeps a step count per entry (the loss-of-plasticity code's
``AdamGnT``, written out here as the reference), and leaves entries never reset untouched."""

from __future__ import annotations

import torch
from torch import nn

from forgetless.models import MLP
from forgetless.plasticity.adam_steps import AdamEntrySteps
from forgetless.plasticity.continual_backprop import ContinualBackprop

LR, BETAS, EPS = 1e-2, (0.9, 0.999), 1e-8


def _model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 3)).double()


def _loss(model: nn.Module, step: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(step)
    x = torch.randn(8, 5, generator=g, dtype=torch.float64)
    y = torch.randint(0, 3, (8,), generator=g)
    return nn.functional.cross_entropy(model(x), y)


def _per_entry_adam(model: nn.Module, steps: int, reset_at: int, rows: torch.Tensor) -> None:
    """The reference: Adam with a step tensor per entry; rows of the first weight reset."""
    state = {p: [torch.zeros_like(p) for _ in range(3)] for p in model.parameters()}
    weight = model[0].weight
    for step in range(1, steps + 1):
        model.zero_grad()
        _loss(model, step).backward()
        with torch.no_grad():
            for p, (m, v, count) in state.items():
                count += 1
                m.mul_(BETAS[0]).add_(p.grad, alpha=1 - BETAS[0])
                v.mul_(BETAS[1]).addcmul_(p.grad, p.grad, value=1 - BETAS[1])
                c1, c2 = 1 - BETAS[0] ** count, 1 - BETAS[1] ** count
                p -= LR * (m / c1) / (v.sqrt() / c2.sqrt() + EPS)
        if step == reset_at:
            for tensor in state[weight]:
                tensor[rows] = 0.0


def _torch_adam(model: nn.Module, steps: int, reset_at: int, rows: torch.Tensor, entry_steps):
    optimizer = torch.optim.Adam(model.parameters(), lr=LR, betas=BETAS, eps=EPS)
    weight = model[0].weight
    for step in range(1, steps + 1):
        optimizer.zero_grad()
        _loss(model, step).backward()
        optimizer.step()
        if entry_steps is not None:
            entry_steps.correct(optimizer)
        if step == reset_at:
            for key in ("exp_avg", "exp_avg_sq"):
                optimizer.state[weight][key][rows] = 0.0
            if entry_steps is not None:
                entry_steps.zeroed(optimizer, weight, rows, 0)
    return optimizer


def test_torch_adam_with_the_correction_follows_the_per_entry_reference():
    rows = torch.tensor([1, 3])
    reference, corrected, plain = _model(), _model(), _model()
    _per_entry_adam(reference, 12, reset_at=5, rows=rows)
    _torch_adam(corrected, 12, reset_at=5, rows=rows, entry_steps=AdamEntrySteps())
    _torch_adam(plain, 12, reset_at=5, rows=rows, entry_steps=None)
    for ref, got in zip(reference.parameters(), corrected.parameters(), strict=True):
        assert torch.allclose(got, ref, rtol=0, atol=1e-12)
    # without it the reset rows take torch's per-tensor bias correction: a different trajectory
    assert not torch.allclose(plain[0].weight[rows], reference[0].weight[rows], atol=1e-6)


def test_entries_never_reset_are_left_exactly_as_torch_moves_them_until_the_reset_matters():
    rows = torch.tensor([2])
    corrected, plain = _model(), _model()
    _torch_adam(corrected, 6, reset_at=5, rows=rows, entry_steps=AdamEntrySteps())
    _torch_adam(plain, 6, reset_at=5, rows=rows, entry_steps=None)
    others = torch.tensor([0, 1, 3])
    assert torch.equal(corrected[0].weight[others], plain[0].weight[others])  # step 6: only row 2
    assert not torch.equal(corrected[0].weight[rows], plain[0].weight[rows])


def test_a_cleared_optimizer_state_forgets_the_resets():
    rows = torch.tensor([0])
    model = _model()
    entry_steps = AdamEntrySteps()
    optimizer = _torch_adam(model, 3, reset_at=3, rows=rows, entry_steps=entry_steps)
    optimizer.state.clear()  # Avalanche's per-experience optimizer reset
    optimizer.zero_grad()
    _loss(model, 4).backward()
    optimizer.step()
    before = model[0].weight.detach().clone()
    entry_steps.correct(optimizer)
    assert torch.equal(model[0].weight, before)


def test_continual_backprop_corrects_its_replaced_entries_only_when_asked():
    def run(per_entry_steps: bool) -> nn.Module:
        torch.manual_seed(0)
        model = MLP(in_features=4, hidden=[6], num_classes=3)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        x, y = torch.randn(16, 4), torch.randint(0, 3, (16,))
        cbp = ContinualBackprop(
            replacement_rate=0.2, maturity=2, per_entry_steps=per_entry_steps
        ).attach(model, x)
        for _ in range(6):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
            cbp.step(optimizer)
        assert cbp.replaced["features.2"] > 0
        return model

    with_steps, without = run(True), run(False)
    assert not torch.equal(with_steps.features[1].weight, without.features[1].weight)
