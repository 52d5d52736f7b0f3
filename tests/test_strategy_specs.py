"""The strategy table: parameters checked against each entry (type and range), every entry
complete (its class and plugin resolvable, its defaults inside its ranges)."""

import pytest

from forgetless.resolve import resolve
from forgetless.strategy_specs import STRATEGIES, check_strategy_params, strategies_where


@pytest.mark.parametrize(
    "name, params, message",
    [
        (
            "replay",
            {"mem_size": -1},
            r"^strategy_params\.replay\.mem_size: expected an integer in \[1, 1,000,000\], got -1$",
        ),
        ("replay", {"mem_size": 0}, r"^strategy_params\.replay\.mem_size: "),
        ("replay", {"mem_size": 2.5}, r"^strategy_params\.replay\.mem_size: expected an integer"),
        ("replay", {"mem_size": True}, r"^strategy_params\.replay\.mem_size: "),
        (
            "ewc",
            {"mode": "bogus"},
            r"^strategy_params\.ewc\.mode: expected one of \['separate', 'online'\], got 'bogus'$",
        ),
        (
            "ewc",
            {"ewc_lambda": -5},
            r"^strategy_params\.ewc\.ewc_lambda: expected a finite number in \[0, 1e\+06\], got -5$",
        ),
        ("ewc", {"ewc_lambda": float("nan")}, r"^strategy_params\.ewc\.ewc_lambda: "),
        ("ewc", {"ewc_lambda": 10**400}, r"^strategy_params\.ewc\.ewc_lambda: "),
        (
            "ewc",
            {"mode": "online"},
            r"^strategy_params\.ewc\.decay_factor: mode 'online' needs a decay_factor",
        ),
        (
            "ewc",
            {"decay_factor": 0.5},
            r"^strategy_params\.ewc\.decay_factor: mode 'separate' needs decay_factor=null",
        ),
        ("lwf", {"alpha": {"a": "b"}}, r"^strategy_params\.lwf\.alpha: expected a finite number"),
        (
            "lwf",
            {"temperature": 0},
            r"^strategy_params\.lwf\.temperature: expected a finite number in \(0, 100\]",
        ),
        ("si", {"si_lambda": -10625}, r"^strategy_params\.si\.si_lambda: "),
        (
            "si",
            {"lambda": 1},
            r"^strategy_params\.si: unknown \['lambda'\]; accepted: \['si_lambda'\]$",
        ),
        ("naive", {"x": 1}, r"^strategy_params\.naive: unknown \['x'\]; accepted: none$"),
        ("gem", {}, r"^strategy: expected one of"),
    ],
)
def test_bad_values_are_refused_naming_the_parameter(name, params, message):
    with pytest.raises(ValueError, match=message):
        check_strategy_params(name, params)


def test_good_values_are_returned_over_the_defaults():
    assert check_strategy_params("replay", {"mem_size": 20}) == {"mem_size": 20}
    assert check_strategy_params(
        "ewc", {"ewc_lambda": 5, "mode": "online", "decay_factor": 0.9}
    ) == {
        "ewc_lambda": 5.0,
        "mode": "online",
        "decay_factor": 0.9,
    }
    assert check_strategy_params("lwf", {}) == {"alpha": 1.0, "temperature": 2.0}


@pytest.mark.parametrize("name", list(STRATEGIES))
def test_every_entry_is_complete(name):
    """A new entry needs: its name as key, a class and plugin that resolve, a meaning and a
    default inside its range for each parameter, plugin parameters that exist."""
    pytest.importorskip("avalanche")
    import forgetless.avalanche  # noqa: F401  (the door's warning filters first)

    spec = STRATEGIES[name]
    assert spec.name == name
    assert isinstance(resolve(spec.avalanche_class), type)
    if spec.plugin is not None:
        assert isinstance(resolve(spec.plugin), type)
    assert set(spec.plugin_params) <= set(spec.params)
    assert set(spec.arguments) <= set(spec.params)
    for key, param in spec.params.items():
        assert param.meaning, (name, key)
    assert check_strategy_params(name, {}) == spec.defaults
    assert check_strategy_params(name, dict(spec.defaults)) == spec.defaults


def test_flags_keep_what_each_strategy_allows():
    assert strategies_where("private_ok") == ["naive"]
    assert strategies_where("streaming_ok") == ["naive"]
    assert strategies_where("loss_penalty") == ["ewc", "si", "lwf"]
    assert list(STRATEGIES) == ["naive", "ewc", "si", "lwf", "replay", "cumulative", "joint"]
    assert strategies_where("upper_bound") == ["joint"]
