"""The plasticity monitors against values computed by hand on small known matrices."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from forgetless.activations import get_activation
from forgetless.activations.inactive import exactly_zero, near
from forgetless.metrics.logged import plasticity_name
from forgetless.models import MLP
from forgetless.plasticity import (
    PlasticityMonitor,
    dormant_unit_fraction,
    effective_rank,
    srank,
    tau_dormant_ratio,
    weight_change,
    weight_magnitude,
)
from forgetless.plasticity.dormant import dormant_scores
from forgetless.plasticity.monitor import inactive_test

# 4 probe inputs × 4 units: unit 0 always 0, unit 1 small, units 2 and 3 large.
H = torch.tensor(
    [
        [0.0, 0.01, 1.0, 3.0],
        [0.0, 0.0, 2.0, 1.0],
        [0.0, 0.03, 3.0, 2.0],
        [0.0, 0.0, 2.0, 2.0],
    ]
)


def test_redo_scores_and_tau_dormant_ratio():
    # E|h| per unit: 0, 0.01, 2, 2; their mean 1.0025.
    expected = torch.tensor([0.0, 0.01, 2.0, 2.0], dtype=torch.float64) / (1.0025 + 1e-9)
    assert torch.allclose(dormant_scores(H), expected)
    assert tau_dormant_ratio(H, 0.0) == 0.25  # unit 0 only
    assert tau_dormant_ratio(H, 0.025) == 0.5  # and unit 1 (score 0.00998)
    with pytest.raises(ValueError, match="tau"):
        tau_dormant_ratio(H, -0.1)


def test_redo_scores_average_convolution_positions():
    h = torch.zeros(2, 2, 2, 2)
    h[:, 1, 0, 0] = 4.0  # channel 1: mean |h| over batch and positions = 1
    scores = dormant_scores(h)
    assert scores.tolist() == pytest.approx([0.0, 1.0 / (0.5 + 1e-9)])


def test_dohare_dormant_counts_units_active_on_under_one_percent_of_inputs():
    relu = nn.ReLU()
    # unit 0 never active; unit 1 active on 2 of 4 inputs; 2, 3 always.
    assert dormant_unit_fraction(relu, H, exactly_zero) == 0.25
    h = torch.zeros(200, 2)
    h[0, 0] = 1.0  # unit 0 active on 1 of 200 inputs = 0.5 % < 1 %: dormant
    h[:3, 1] = 1.0  # unit 1 on 3 of 200 = 1.5 %: not dormant
    assert dormant_unit_fraction(relu, h, exactly_zero) == 0.5


def test_saturating_activations_are_dormant_at_their_flat_limits():
    tanh = get_activation("tanh")
    h = torch.tensor([[0.995, 0.5], [-0.999, -0.2]])  # unit 0 saturated on both inputs
    assert dormant_unit_fraction(tanh, h, inactive_test(tanh)) == 0.5
    tempered = get_activation("tempered_sigmoid", s=4.0, T=1.0, o=1.0)  # range (-1, 3)
    test = inactive_test(tempered)
    out = test(tempered, torch.tensor([-0.985, 2.985, 1.0]))  # band 0.01 · s / 2 = 0.02
    assert out.tolist() == [True, True, False]
    assert near((0.0, 1.0))(nn.Sigmoid(), torch.tensor([0.005, 0.5, 0.995])).tolist() == [
        True,
        False,
        True,
    ]


def test_every_registered_activation_has_an_inactive_test_of_its_output_shape():
    from forgetless.activations.registry import activation_specs

    x = torch.linspace(-6.0, 6.0, 24).reshape(2, 12)
    for spec in activation_specs():
        module = spec.factory()
        flat = spec.inactive(module, module(x))
        assert flat.shape == x.shape and flat.dtype == torch.bool, spec.name


def test_effective_rank_and_srank_of_known_spectra():
    diagonal = torch.diag(torch.tensor([3.0, 1.0, 0.0]))  # σ = 3, 1, 0
    p = torch.tensor([0.75, 0.25])
    assert effective_rank(diagonal) == pytest.approx(math.exp(float(-(p * p.log()).sum())))
    assert srank(diagonal) == 2  # 0.75 < 0.99, 1.0 >= 0.99
    assert srank(diagonal, delta=0.25) == 1  # 0.75 >= 0.75
    assert effective_rank(torch.eye(5)) == pytest.approx(5.0)
    assert srank(torch.eye(5)) == 5
    hundred = torch.diag(torch.tensor([99.0, 1.0]))  # top value holds exactly 0.99
    assert srank(hundred) == 1
    assert effective_rank(torch.zeros(4, 3)) == 0.0 and srank(torch.zeros(4, 3)) == 0
    with pytest.raises(ValueError, match="delta"):
        srank(diagonal, delta=1.0)


def test_weight_magnitude_and_change():
    layer = nn.Linear(2, 2, bias=False)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[1.0, -1.0], [2.0, 0.0]]))
    initial = layer.weight.detach().clone()
    assert weight_magnitude(layer) == 1.0
    with torch.no_grad():
        layer.weight += torch.tensor([[3.0, 0.0], [0.0, 4.0]])
    assert weight_change(layer, initial) == pytest.approx(5.0 / 2.0)  # ‖Δ‖ = 5, √N = 2
    with pytest.raises(ValueError, match="initial weight"):
        weight_change(layer, torch.zeros(3))


def test_monitor_names_every_layer_and_sees_weights_move():
    torch.manual_seed(0)
    model = MLP(in_features=6, hidden=[8, 5], num_classes=3)
    probe = torch.randn(32, 6)
    monitor = PlasticityMonitor(model, probe)
    before = monitor.measure()
    hidden = ["features.2", "features.4"]
    for layer in hidden:
        for metric in ("tau_dormant_0", "tau_dormant_0.025", "dormant_units"):
            assert 0.0 <= before[plasticity_name(layer, metric)] <= 1.0
        assert 1.0 <= before[plasticity_name(layer, "effective_rank")] <= 8.0
        assert before[plasticity_name(layer, "srank_0.01")] >= 1
    for layer in ("features.1", "features.3", "classifier"):
        assert before[plasticity_name(layer, "weight_change")] == 0.0
        assert before[plasticity_name(layer, "weight_magnitude")] > 0
    with torch.no_grad():
        model.features[1].weight.zero_()  # every unit of the first layer dead for any input
        model.features[1].bias.fill_(-1.0)
    after = monitor.measure()
    assert after[plasticity_name("features.2", "dormant_units")] == 1.0
    assert after[plasticity_name("features.2", "tau_dormant_0")] == 1.0
    assert after[plasticity_name("features.2", "effective_rank")] == 0.0
    assert after[plasticity_name("features.1", "weight_change")] > 0.0
    assert model.training  # the probe pass restored the mode


def test_monitor_refuses_an_empty_probe_and_a_model_without_activations():
    with pytest.raises(ValueError, match="probe"):
        PlasticityMonitor(nn.Linear(2, 2), torch.zeros(0, 2))
    with pytest.raises(ValueError, match="no activation module"):
        PlasticityMonitor(nn.Linear(2, 2), torch.zeros(3, 2)).measure()
