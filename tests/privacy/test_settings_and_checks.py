"""Bad privacy input gives a one-line ValueError naming the field or the layer."""

from __future__ import annotations

import pytest
from torch import nn

from forgetless.activations.learnable_elephant import LearnableElephant
from forgetless.privacy import PrivacySettings, check_private_model


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"target_epsilon": 0.0}, "privacy.target_epsilon"),
        ({"target_epsilon": -1.0}, "privacy.target_epsilon"),
        ({"target_epsilon": float("inf")}, "privacy.target_epsilon"),
        ({"noise_multiplier": 0.0}, "privacy.noise_multiplier"),
        ({"target_epsilon": 1.0, "noise_multiplier": 1.0}, "exactly one"),
        ({}, "exactly one"),
        ({"target_epsilon": 1.0, "max_grad_norm": 0.0}, "privacy.max_grad_norm"),
        ({"target_epsilon": 1.0, "max_grad_norm": -2.0}, "privacy.max_grad_norm"),
        ({"target_epsilon": 1.0, "delta": 0.0}, "privacy.delta"),
        ({"target_epsilon": 1.0, "delta": 1.5}, "privacy.delta"),
        ({"target_epsilon": 1.0, "accountant": "moments"}, "privacy.accountant"),
        ({"target_epsilon": "3"}, "privacy.target_epsilon"),
    ],
)
def test_bad_settings_name_the_field(kwargs, field):
    with pytest.raises(ValueError, match=field) as info:
        PrivacySettings(**kwargs)
    assert "\n" not in str(info.value)


def test_delta_must_be_below_one_over_n():
    settings = PrivacySettings(target_epsilon=3.0, delta=1e-3)
    assert settings.validate(999) is settings
    with pytest.raises(ValueError, match=r"privacy.delta: expected delta < 1/N .* N = 1000"):
        settings.validate(1000)
    with pytest.raises(ValueError, match="n_train"):
        settings.validate(0)


def test_from_mapping_rejects_unknown_fields_and_builds_known_ones():
    settings = PrivacySettings.from_mapping({"target_epsilon": 2, "delta": 1e-6})
    assert settings.target_epsilon == 2.0 and settings.delta == 1e-6
    assert settings.accountant == "rdp" and settings.max_grad_norm == 1.0
    with pytest.raises(ValueError, match=r"privacy: unknown field\(s\) \['epsilon'\]"):
        PrivacySettings.from_mapping({"epsilon": 2})


def test_batchnorm_is_named_with_its_replacement():
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU())
    with pytest.raises(ValueError, match=r"layer '1' \(BatchNorm2d\).*GroupNorm") as info:
        check_private_model(model)
    assert "\n" not in str(info.value)


def test_frozen_batchnorm_is_still_refused():
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4, affine=False))
    with pytest.raises(ValueError, match=r"layer '1' \(BatchNorm1d\)"):
        check_private_model(model)


def test_lstm_is_named_with_dp_lstm():
    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.rnn = nn.LSTM(3, 4)

    with pytest.raises(ValueError, match=r"layer 'rnn' \(LSTM\).*DPLSTM"):
        check_private_model(Net())


def test_lazy_parameters_are_refused():
    model = nn.Sequential(nn.Linear(3, 4), LearnableElephant(None))
    with pytest.raises(ValueError, match=r"layer '1' \(LearnableElephant\).*lazily sized"):
        check_private_model(model)


def test_supported_models_pass():
    check_private_model(nn.Sequential(nn.Linear(3, 4), nn.GroupNorm(2, 4), LearnableElephant(4)))
    with pytest.raises(ValueError, match="model: expected a torch.nn.Module"):
        check_private_model("not a model")
