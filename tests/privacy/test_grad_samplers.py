"""Opacus per-sample gradients of the learnable activations = one-sample-at-a-time autograd."""

from __future__ import annotations

import pytest
import torch
from opacus.grad_sample import GradSampleHooks
from torch import nn

import forgetless.privacy  # noqa: F401  (registers the grad samplers)
from forgetless.activations.apa import AGLU, APA
from forgetless.activations.learnable_elephant import LearnableElephant
from forgetless.privacy import compute_apa_grad_sample, compute_learnable_elephant_grad_sample


def _randomise(module: nn.Module, generator: torch.Generator) -> None:
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name in ("lam", "log_h"):
                p.copy_(0.2 + torch.rand(p.shape, generator=generator, dtype=p.dtype))
            else:
                p.copy_(0.5 + torch.rand(p.shape, generator=generator, dtype=p.dtype))
        if isinstance(module, LearnableElephant):
            module.log_sigma.sub_(1.0)  # sigma ~ 0.6 .. 1.6


def _mlp(act: nn.Module) -> nn.Module:
    return nn.Sequential(nn.Linear(6, 5), act, nn.Linear(5, 3))


def _cnn(act: nn.Module) -> nn.Module:
    return nn.Sequential(nn.Conv2d(2, 4, 3), act, nn.Flatten(), nn.Linear(4 * 3 * 3, 3))


CASES = [
    ("apa scalar mlp", lambda: APA(1), _mlp, (6,)),
    ("apa per-channel mlp", lambda: APA(5), _mlp, (6,)),
    ("aglu scalar mlp", lambda: AGLU(1), _mlp, (6,)),
    ("aglu per-channel mlp", lambda: AGLU(5), _mlp, (6,)),
    ("aglu per-channel cnn", lambda: AGLU(4), _cnn, (2, 5, 5)),
    ("apa scalar cnn", lambda: APA(1), _cnn, (2, 5, 5)),
    ("elephant per-unit mlp", lambda: LearnableElephant(5, d=4.0), _mlp, (6,)),
    ("elephant scalar mlp", lambda: LearnableElephant(1, d=2.0), _mlp, (6,)),
    ("elephant per-channel cnn", lambda: LearnableElephant(4, d=3.0), _cnn, (2, 5, 5)),
]


@pytest.mark.filterwarnings("ignore:Full backward hook is firing")
@pytest.mark.parametrize(
    ("label", "make_act", "make_net", "shape"), CASES, ids=[c[0] for c in CASES]
)
def test_opacus_per_sample_gradients_match_one_at_a_time(label, make_act, make_net, shape):
    generator = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    act = make_act()
    _randomise(act, generator)
    model = make_net(act).double()
    x = torch.randn(7, *shape, generator=generator, dtype=torch.float64) * 1.5
    y = torch.randint(0, 3, (7,), generator=generator)
    loss_fn = nn.CrossEntropyLoss()

    expected = {name: [] for name, _ in model.named_parameters()}
    for i in range(len(x)):
        model.zero_grad()
        loss_fn(model(x[i : i + 1]), y[i : i + 1]).backward()
        for name, p in model.named_parameters():
            expected[name].append(p.grad.clone())

    hooks = GradSampleHooks(model, loss_reduction="mean")
    model.zero_grad()
    loss_fn(model(x), y).backward()
    act_names = {f"1.{n}" for n, _ in act.named_parameters()}
    assert act_names, "the activation must have parameters"
    for name, p in model.named_parameters():
        assert p.grad_sample is not None, name
        assert p.grad_sample.shape == (len(x), *p.shape), name
        torch.testing.assert_close(
            p.grad_sample, torch.stack(expected[name]), rtol=1e-9, atol=1e-11
        )
    # the activation's samples come from our registered sampler, not the functorch fallback
    assert not hasattr(act, "ft_compute_sample_grad")
    hooks.cleanup()


def test_aglu_sampler_keeps_both_terms_of_the_lambda_gradient():
    # At z = 0.7, lam = 0.4, kappa = 1.1 the exact d AGLU / d lam is +0.039 (METHODS.md); the
    # authors' one-term backward gives -0.447.
    act = AGLU(1)
    with torch.no_grad():
        act.kappa.fill_(1.1)
        act.lam.fill_(0.4)
    x = torch.full((1, 1), 0.7, dtype=torch.float64)
    samples = compute_apa_grad_sample(act, [x], torch.ones(1, 1, dtype=torch.float64))
    assert samples[act.lam].item() == pytest.approx(0.039, abs=5e-4)


def test_elephant_sampler_is_finite_for_huge_inputs():
    act = LearnableElephant(3)
    x = torch.tensor([[1e30, -1e30, 0.0]])
    samples = compute_learnable_elephant_grad_sample(act, [x], torch.ones(1, 3))
    for value in samples.values():
        assert torch.isfinite(value).all()
    # y(0) = h = 1 so d y / d log h = 1 there; y(+-1e30) = 0
    torch.testing.assert_close(samples[act.log_h], torch.tensor([[0.0, 0.0, 1.0]]))


def test_per_channel_parameter_along_batch_dim_is_rejected():
    act = APA(4, channel_dim=0)
    with pytest.raises(ValueError, match="channel_dim"):
        compute_apa_grad_sample(act, [torch.randn(4, 3)], torch.ones(4, 3))
