"""NoProp continuous time: the learnable schedule, its direction, and what each term trains."""

from __future__ import annotations

import math

import pytest
import torch
from separable_problem import IN_FEATURES, NUM_CLASSES

from forgetless.optim import build_optimizer
from forgetless.rules import NoPropCTRule
from forgetless.rules.noprop_ct import LinearLogSNRSchedule


def test_schedule_runs_noise_to_label_and_its_slope_is_the_derivative():
    schedule = LinearLogSNRSchedule()
    t = torch.linspace(0, 1, 11)
    ab = schedule.alpha_bar(t).detach()
    assert bool((ab[1:] > ab[:-1]).all()), "ᾱ must increase: t = 0 noise, t = 1 label"
    assert ab[0].item() == pytest.approx(1 / (1 + math.exp(7)), rel=1e-4)
    assert ab[-1].item() == pytest.approx(1 / (1 + math.exp(-7)), rel=1e-4)
    t64 = torch.tensor([0.3], dtype=torch.float64, requires_grad=True)
    snr = torch.exp(schedule.g_start.double() + schedule.span().double() * t64)
    (grad,) = torch.autograd.grad(snr.sum(), t64)
    assert schedule.snr_slope(t64.detach().float()).item() == pytest.approx(grad.item(), rel=1e-5)


def test_bad_schedule_end_points():
    with pytest.raises(ValueError, match="g_end > g_start"):
        LinearLogSNRSchedule(g_start=2.0, g_end=1.0)


def test_every_term_trains_its_parts_and_the_schedule_learns():
    torch.manual_seed(0)
    rule = NoPropCTRule(IN_FEATURES, NUM_CLASSES, hidden=(16,), steps=4)
    x, y = torch.randn(32, IN_FEATURES), torch.randint(0, NUM_CLASSES, (32,))
    before = {n: p.detach().clone() for n, p in rule.named_parameters()}
    losses = rule.train_step(x, y, build_optimizer(rule, lr=1e-2))
    assert set(losses) == {"loss_denoise", "loss_head", "loss_kl", "loss"}
    moved = {n for n, p in rule.named_parameters() if not torch.equal(before[n], p.detach())}
    assert {"schedule.g_start", "schedule.raw_span", "head.weight"} <= moved
    assert any(n.startswith("denoiser.") for n in moved)


def test_frozen_schedule_stays_put():
    rule = NoPropCTRule(IN_FEATURES, NUM_CLASSES, hidden=(16,), learn_schedule=False)
    start = rule.schedule.g_start.detach().clone()
    rule.train_step(
        torch.randn(8, IN_FEATURES), torch.arange(8) % NUM_CLASSES, build_optimizer(rule)
    )
    assert torch.equal(start, rule.schedule.g_start.detach())


def test_deterministic_chain_is_reproducible_and_stochastic_is_not():
    torch.manual_seed(0)
    rule = NoPropCTRule(IN_FEATURES, NUM_CLASSES, hidden=(16,), steps=5)
    x = torch.randn(6, IN_FEATURES)
    torch.testing.assert_close(rule.run_chain(x), rule.run_chain(x), rtol=0, atol=0)
    a, b = rule.run_chain(x, "stochastic"), rule.run_chain(x, "stochastic")
    assert not torch.equal(a, b)
    assert rule.logits(x).shape == (6, NUM_CLASSES)


def test_uniform_weighting_drops_the_snr_slope():
    """Same draws, two weightings: the ELBO's denoising term is the uniform one reweighted."""
    x, y = torch.randn(16, IN_FEATURES), torch.randint(0, NUM_CLASSES, (16,))
    terms = {}
    for weighting in ("elbo", "uniform"):
        torch.manual_seed(0)
        rule = NoPropCTRule(IN_FEATURES, NUM_CLASSES, hidden=(8,), weighting=weighting)
        torch.manual_seed(1)
        terms[weighting] = rule.train_step(x, y, torch.optim.SGD(rule.parameters(), lr=0.0))
    assert terms["elbo"]["loss_denoise"] > 10 * terms["uniform"]["loss_denoise"] > 0
    assert terms["elbo"]["loss_head"] == pytest.approx(terms["uniform"]["loss_head"])
