import pytest

from forgetless.app.configs import load_config, validate
from forgetless.app.configs.load import ConfigError


def test_loggers_default_to_none_and_accept_the_known_names():
    assert list(load_config([]).loggers) == []
    validate(load_config(["loggers=[tensorboard,csv,wandb]"]))


@pytest.mark.parametrize(
    "value, message",
    [
        (
            "[tensorboard,mlflow]",
            r"^loggers: expected one of \['tensorboard', 'csv', 'wandb'\], got 'mlflow'$",
        ),
        ("[csv,csv]", r"^loggers: expected distinct entries, got \['csv', 'csv'\]$"),
    ],
)
def test_bad_loggers_are_one_line_naming_the_key(value, message):
    with pytest.raises(ConfigError, match=message):
        validate(load_config([f"loggers={value}"]))
