"""A strategy that cannot run here is listed with its reason and refused by ``compare`` in one
line naming ``strategies`` (exit code 2); a local rule is refused the strategies it cannot run."""

from __future__ import annotations

import pytest

from forgetless.app.cli import main
from forgetless.app.configs import ConfigError, load_config, validate
from forgetless.app.configs.grid_check import check_rule_cells, check_strategy_cells
from forgetless.app.listings import strategies as strategy_lines
from forgetless.strategy_specs import STRATEGIES

REFUSED = [name for name, spec in STRATEGIES.items() if spec.refusal]


@pytest.mark.parametrize("name", REFUSED)
def test_the_grid_check_refuses_it_with_its_reason(name):
    with pytest.raises(ConfigError) as error:
        check_strategy_cells(["naive", name])
    assert str(error.value) == f"strategies: {name} cannot run here: {STRATEGIES[name].refusal}"


def test_streaming_lda_points_to_the_slda_head():
    with pytest.raises(
        ConfigError, match=r"^strategies: streaming_lda cannot run .*heads=\[slda\]$"
    ):
        validate(load_config(["strategies=[naive,streaming_lda]"]))


def test_compare_exits_2_with_one_line(capsys):
    assert main(["compare", "strategies=[gem,packnet]", "output_dir=/nonexistent/never"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "strategies: packnet cannot run here: PackNet" in err[0]


def test_the_listing_says_why():
    lines = {line.split()[0]: line for line in strategy_lines()}
    assert set(lines) == set(STRATEGIES)
    for name in REFUSED:
        assert lines[name].endswith(f"cannot run here: {STRATEGIES[name].refusal}")
    assert "cannot run" not in lines["gem"]
    detailed = "\n".join(strategy_lines(with_params=True))
    assert "  patterns_per_exp = 256  — memory samples kept from each experience" in detailed
    assert "  reset_optimizer = True  — " in detailed and "; true or false" in detailed


def test_a_local_rule_takes_only_the_strategies_its_strategy_runs():
    check_rule_cells(["mono_forward"], ["naive", "replay", "joint"], "mlp")
    with pytest.raises(ConfigError, match=r"^strategies: \['agem', 'cumulative'\] are their own"):
        check_rule_cells(["mono_forward"], ["naive", "agem", "cumulative"], "mlp")
