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
        ("bogus", {}, r"^strategy: expected one of"),
        (
            "from_scratch",
            {"reset_optimizer": "yes"},
            r"^strategy_params\.from_scratch\.reset_optimizer: expected true or false, got 'yes'$",
        ),
        ("er_aml", {"same_task_neg": 1}, r"^strategy_params\.er_aml\.same_task_neg: expected true"),
        (
            "agem",
            {"patterns_per_exp": 0},
            r"^strategy_params\.agem\.patterns_per_exp: expected an integer in \[1, 1,000,000\]",
        ),
        ("der", {"beta": -0.5}, r"^strategy_params\.der\.beta: expected a finite number in \[0, "),
        ("der", {"batch_size_mem": 2.5}, r"^strategy_params\.der\.batch_size_mem: expected an"),
        (
            "mer",
            {"gamma": 0},
            r"^strategy_params\.mer\.gamma: expected a finite number in \(0, 1\]",
        ),
        ("gem", {"mem_size": 5}, r"^strategy_params\.gem: unknown \['mem_size'\]; accepted: "),
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
    assert check_strategy_params("der", {"beta": 0, "batch_size_mem": None})["beta"] == 0.0
    assert check_strategy_params("from_scratch", {"reset_optimizer": False}) == {
        "reset_optimizer": False
    }


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
    if spec.builder is not None:
        assert callable(resolve(spec.builder))
    assert "\n" not in spec.refusal
    for key, param in spec.params.items():
        assert param.meaning, (name, key)
    assert check_strategy_params(name, {}) == spec.defaults
    assert check_strategy_params(name, dict(spec.defaults)) == spec.defaults


def test_flags_keep_what_each_strategy_allows():
    assert strategies_where("private_ok") == ["naive"]
    assert strategies_where("streaming_ok") == [
        *("naive", "continual_backprop", "redo", "shrink_perturb")
    ]
    assert strategies_where("rule_ok") == ["naive", "joint", "replay"]
    assert strategies_where("loss_penalty") == [
        *("ewc", "si", "lwf", "mas", "lfl", "er_ace", "er_aml", "der", "icarl", "bic", "cope")
    ]
    assert list(STRATEGIES) == [
        *("naive", "cumulative", "joint", "from_scratch"),
        *("ewc", "si", "lwf", "mas", "lfl"),
        *("replay", "agem", "gem", "gdumb", "er_ace", "er_aml", "der", "mir", "gss_greedy"),
        *("icarl", "bic", "cope", "mer"),
        *("cwr_star", "packnet", "pnn"),
        *("continual_backprop", "redo", "shrink_perturb"),
        *("streaming_lda", "ar1", "expert_gate", "learning_to_prompt", "scr", "lamaml"),
    ]
    assert strategies_where("upper_bound") == ["joint"]
    assert [n for n, s in STRATEGIES.items() if s.refusal] == [
        *("icarl", "bic", "cope", "packnet", "pnn"),
        *("streaming_lda", "ar1", "expert_gate", "learning_to_prompt", "scr", "lamaml"),
    ]
