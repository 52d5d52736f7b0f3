"""Bad configuration and bad input fail with a ValueError that names what is wrong."""

from __future__ import annotations

import pytest
import torch

from forgetless.optim import build_optimizer
from forgetless.rules import build_rule
from forgetless.rules.noise_schedule import cosine_alpha_bar

BAD = [
    ("forward_forward", {"theta": 0.0}, "theta"),
    ("forward_forward", {"theta": -2.0}, "theta"),
    ("collaborative_ff", {"theta": -1.0}, "theta"),
    ("forward_forward", {"predict_mode": "vote"}, "predict_mode"),
    ("forward_forward", {"label_value": 0.0}, "label_value"),
    ("forward_forward", {"reduction": "max"}, "reduction"),
    ("forward_forward", {"negatives": "easy"}, "negatives"),
    ("collaborative_ff", {"collaboration": -1.0}, "collaboration"),
    ("mono_forward", {"predict_mode": "mean"}, "predict_mode"),
    ("noprop", {"T": 0}, "T must be"),
    ("noprop", {"T": 2.5}, "T must be"),
    ("noprop", {"eta": 0.0}, "eta"),
    ("noprop", {"embedding": "random"}, "embedding"),
    ("noprop", {"inference": "greedy"}, "inference"),
    ("noprop", {"backbone": "cnn"}, "image_shape"),
    ("noprop", {"backbone": "cnn", "image_shape": (1, 3, 3)}, "image_shape"),
    ("noprop", {"embed_dim": 7}, "embed_dim"),
    ("noprop", {"backbone": "vit"}, "backbone"),
    ("noprop_fm", {"steps": 0}, "steps must be"),
    ("noprop_fm", {"inference": "greedy"}, "inference"),
    ("noprop_fm", {"backbone": "cnn"}, "image_shape"),
    ("noprop_ct", {"steps": 0}, "steps must be"),
    ("noprop_ct", {"weighting": "snr"}, "weighting"),
    ("noprop_ct", {"eta": -1.0}, "eta"),
    ("noprop_ct", {"inference": "greedy"}, "inference"),
    ("noprop_ct", {"backbone": "cnn"}, "image_shape"),
    ("backprop", {"backbone": "cnn"}, "image_shape"),
    ("backprop", {"backbone": "cnn", "image_shape": (1, 4, 4)}, "image_shape"),
    ("backprop", {"backbone": "resnet"}, "backbone"),
    (
        "noprop",
        {"backbone": "cnn", "in_features": 16, "image_shape": (1, 4, 4), "cnn_channels": (8,)},
        "cnn_channels",
    ),
    (
        "backprop",
        {"backbone": "cnn", "in_features": 16, "image_shape": (1, 4, 4), "cnn_channels": (8, 0)},
        "cnn_channels",
    ),
    ("backprop", {"hidden": ()}, "hidden"),
    ("backprop", {"hidden": (8, 0)}, "hidden"),
    ("backprop", {"num_classes": 1}, "num_classes"),
    ("backprop", {"in_features": 0}, "in_features"),
    ("mono_forward", {"depth": 3}, "bad parameters"),
    ("transformer", {}, "rule: unknown name"),
]


@pytest.mark.parametrize(("name", "params", "message"), BAD, ids=[m for *_, m in BAD])
def test_bad_configuration_raises_naming_the_parameter(name, params, message):
    kwargs = {"in_features": 9, "num_classes": 3, **params}
    with pytest.raises(ValueError, match=message):
        build_rule(name, **kwargs)


def test_forward_forward_rejects_input_too_small_to_carry_the_label():
    with pytest.raises(ValueError, match="in_features=10 is too small to carry the label"):
        build_rule("forward_forward", in_features=10, num_classes=10)
    with pytest.raises(ValueError, match="too small to carry the label"):
        build_rule("collaborative_ff", in_features=4, num_classes=10)


def test_schedule_rejects_bad_T():
    with pytest.raises(ValueError, match="T"):
        cosine_alpha_bar(0)


def test_bad_optimizer_settings():
    rule = build_rule("backprop", in_features=9, num_classes=3, hidden=(4,))
    with pytest.raises(ValueError, match="optimizer: unknown name 'lion'"):
        build_optimizer(rule, "lion")
    with pytest.raises(ValueError, match="lr must be > 0"):
        build_optimizer(rule, lr=0.0)
    with pytest.raises(ValueError, match="weight_decay"):
        build_optimizer(rule, weight_decay=-1.0)


def test_unknown_activation_is_reported():
    with pytest.raises(ValueError, match="nonexistent_act"):
        build_rule("mono_forward", in_features=9, num_classes=3, activation="nonexistent_act")


@pytest.mark.parametrize("name", ["backprop", "mono_forward", "forward_forward", "noprop"])
def test_bad_batches_are_rejected(name):
    rule = build_rule(name, in_features=9, num_classes=3, hidden=(4,))
    optimizer = build_optimizer(rule)
    with pytest.raises(ValueError, match="x: expected shape"):
        rule.train_step(torch.rand(5, 8), torch.zeros(5, dtype=torch.long), optimizer)
    with pytest.raises(ValueError, match=r"y: class indices must lie in \[0, 3\)"):
        rule.train_step(torch.rand(5, 9), torch.tensor([0, 1, 2, 3, 0]), optimizer)
    with pytest.raises(ValueError, match="y: expected shape"):
        rule.train_step(torch.rand(5, 9), torch.zeros(4, dtype=torch.long), optimizer)
    # images are flattened: [N, 1, 3, 3] is accepted for in_features = 9
    assert rule.logits(torch.rand(2, 1, 3, 3)).shape == (2, 3)
