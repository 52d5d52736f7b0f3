"""NoProp's schedule runs in the direction of inference: noise at t = 0, the label at t = T."""

from __future__ import annotations

import pytest
import torch

from forgetless.rules import NoPropDTRule
from forgetless.rules.noise_schedule import cosine_alpha_bar, posterior_coefficients, snr


@pytest.mark.parametrize("T", [1, 3, 10])
def test_alpha_bar_increases_from_pure_noise_to_nearly_clean(T):
    alpha_bar = cosine_alpha_bar(T)
    assert alpha_bar.shape == (T + 1,)
    assert alpha_bar[0] == 0.0
    assert bool((alpha_bar[1:] > alpha_bar[:-1]).all())
    assert alpha_bar[-1] > 0.999 and alpha_bar[-1] < 1.0
    ratio = snr(alpha_bar)
    assert bool(torch.isfinite(ratio).all()) and bool((ratio[1:] > ratio[:-1]).all())


def test_first_posterior_step_is_the_marginal_of_z1():
    alpha_bar = cosine_alpha_bar(10)
    a, b, c = posterior_coefficients(alpha_bar)
    assert torch.isclose(a[0], alpha_bar[1].sqrt())
    assert b[0] == 0.0
    assert torch.isclose(c[0], 1 - alpha_bar[1])
    assert bool((c >= 0).all()) and bool((c[1:] < c[:-1]).all())


def oracle(rule: NoPropDTRule, label: int) -> None:
    """Make every block predict the clean embedding of ``label``."""
    rule.denoise = lambda t, x, z: rule.embed[label].expand(x.shape[0], -1)


def test_deterministic_chain_walks_from_zero_noise_to_the_label():
    rule = NoPropDTRule(6, 3, hidden=(8,), T=10)
    oracle(rule, 2)
    x = torch.zeros(4, 6)
    distances = []
    for T in range(0, 11):
        rule.T = T
        z = rule.run_chain(x, "deterministic")
        distances.append(float((z - rule.embed[2]).norm(dim=1).max()))
    assert distances[0] == pytest.approx(1.0)  # z_0 = 0, one unit away from a one-hot
    assert all(b < a for a, b in zip(distances, distances[1:], strict=False))
    assert distances[-1] < 0.02
    assert rule.logits(x).argmax(1).tolist() == [2, 2, 2, 2]


def test_stochastic_chain_matches_the_noising_marginals():
    """With a perfect denoiser, z_t of the chain has q(z_t | y)'s mean √ᾱ_t u and variance 1 − ᾱ_t."""
    torch.manual_seed(0)
    rule = NoPropDTRule(6, 3, hidden=(8,), T=10, inference="stochastic")
    oracle(rule, 1)
    x = torch.zeros(20000, 6)
    for t in (1, 5, 10):
        rule.T = t
        z = rule.run_chain(x)
        ab = rule.alpha_bar[t]
        mean = ab.sqrt() * rule.embed[1]
        assert torch.allclose(z.mean(0), mean, atol=0.03)
        assert torch.allclose(z.var(0), (1 - ab).expand(3), atol=0.03)


@pytest.mark.parametrize("inference", ["deterministic", "stochastic"])
def test_flow_matching_integrates_from_noise_at_t0_to_the_label_at_t1(inference):
    """With the exact conditional velocity (u − z_t) / (1 − t), Euler lands on u at t = 1."""
    from forgetless.rules import NoPropFMRule

    torch.manual_seed(0)
    rule = NoPropFMRule(6, 3, hidden=(8,), steps=4, inference=inference)
    times = []

    def oracle_velocity(x, z, t):
        times.append(float(t[0]))
        return (rule.embed[2] - z) / (1.0 - t[:, None])

    rule.velocity_at = oracle_velocity
    z = rule.run_flow(torch.zeros(5, 6))
    assert times == [0.0, 0.25, 0.5, 0.75]
    torch.testing.assert_close(z, rule.embed[2].expand(5, -1), atol=1e-5, rtol=0)
    assert rule.predict(torch.zeros(5, 6)).tolist() == [2] * 5
