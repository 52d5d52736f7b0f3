"""Noise calibration and ε over a stream, against Opacus's own accountants."""

from __future__ import annotations

import pytest
from opacus.accountants import RDPAccountant
from opacus.accountants.utils import get_noise_multiplier

from forgetless.privacy import (
    Phase,
    PrivacyLedger,
    PrivacySettings,
    calibrate_noise_multiplier,
    epsilon_of,
    plan_stream,
)


def test_plan_follows_opacus_poisson_loader_step_count():
    phases = plan_stream([1000, 300, 50], batch_size=64, epochs=2)
    assert phases == [Phase(0.064, 2 * 15), Phase(64 / 300, 2 * 4), Phase(1.0, 2)]
    with pytest.raises(ValueError, match="epochs"):
        plan_stream([10], 4, 0)
    with pytest.raises(ValueError, match="batch_size"):
        plan_stream([10], 0, 1)
    with pytest.raises(ValueError, match="experience_sizes"):
        plan_stream([], 4, 1)


def test_single_rate_calibration_agrees_with_opacus():
    settings = PrivacySettings(target_epsilon=2.0, delta=1e-5)
    phases = [Phase(0.01, 500), Phase(0.01, 500)]  # two equal experiences = 1000 steps
    sigma = calibrate_noise_multiplier(settings, phases)
    theirs = get_noise_multiplier(
        target_epsilon=2.0, target_delta=1e-5, sample_rate=0.01, steps=1000
    )
    assert sigma == pytest.approx(theirs, abs=0.02)
    eps = epsilon_of([(sigma, 0.01, 1000)], 1e-5)
    assert 2.0 - 0.01 <= eps <= 2.0


@pytest.mark.parametrize("accountant", ["rdp", "prv"])
def test_total_budget_over_unequal_experiences(accountant):
    settings = PrivacySettings(target_epsilon=3.0, delta=1e-5, accountant=accountant)
    phases = [Phase(0.05, 60), Phase(0.1, 30), Phase(0.02, 100)]
    sigma = calibrate_noise_multiplier(settings, phases, tolerance=0.05)
    history = [(sigma, p.sample_rate, p.steps) for p in phases]
    total = epsilon_of(history, 1e-5, accountant)
    assert 3.0 - 0.05 <= total <= 3.0
    # composition: the whole stream spends more than any experience alone
    assert all(epsilon_of([h], 1e-5, accountant) < total for h in history)


def test_fixed_noise_multiplier_is_kept():
    settings = PrivacySettings(noise_multiplier=1.3)
    assert calibrate_noise_multiplier(settings, [Phase(0.1, 10)]) == 1.3


def test_ledger_matches_a_fresh_opacus_accountant():
    settings = PrivacySettings(noise_multiplier=1.1, delta=1e-5)
    ledger = PrivacyLedger(settings, 1.1)
    assert ledger.epsilon() == 0.0

    class FakeOptimizer:  # what the hook reads from Opacus's DPOptimizer
        noise_multiplier = 1.1
        accumulated_iterations = 1

    for rate, steps in ((0.1, 7), (0.2, 5)):
        hook = ledger.hook(rate)
        for _ in range(steps):
            hook(FakeOptimizer())
    reference = RDPAccountant()
    reference.history = [(1.1, 0.1, 7), (1.1, 0.2, 5)]
    assert ledger.history == reference.history
    assert ledger.steps == 12
    assert ledger.epsilon() == pytest.approx(reference.get_epsilon(delta=1e-5), rel=1e-12)
    report = ledger.report()
    assert report["epsilon"] == ledger.epsilon() and report["steps"] == 12
    restored = PrivacyLedger(settings, 1.0)
    restored.load_state_dict(ledger.state_dict())
    assert restored.epsilon() == ledger.epsilon() and restored.noise_multiplier == 1.1
