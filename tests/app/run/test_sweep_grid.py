"""``forgetless sweep``'s grid (issue 18): ``--grid KEY=[...]`` parsing, expansion, sampling, and
one-line refusals naming the key, before anything runs or is written."""

from __future__ import annotations

import pytest
from omegaconf import OmegaConf

from forgetless.app.cli import main
from forgetless.app.configs import ConfigError, load_config
from forgetless.app.run.sweep import SweepSpec, plan
from forgetless.app.run.sweep_grid import format_value, parse_grid, points


def test_grid_is_the_product_last_key_fastest():
    grid = parse_grid(["optimizer.lr=[1e-4,2e-4]", "model.hidden=[[1000],[4000]]"])
    assert grid == [("optimizer.lr", [1e-4, 2e-4]), ("model.hidden", [[1000], [4000]])]
    assert points(grid) == [
        ["optimizer.lr=0.0001", "model.hidden=[1000]"],
        ["optimizer.lr=0.0001", "model.hidden=[4000]"],
        ["optimizer.lr=0.0002", "model.hidden=[1000]"],
        ["optimizer.lr=0.0002", "model.hidden=[4000]"],
    ]


def test_random_points_are_distinct_seeded_and_in_grid_order():
    grid = parse_grid(["optimizer.lr=[1,2,3,4,5]", "train.batch_size=[8,16,32]"])
    every = points(grid)
    drawn = points(grid, 6, seed=3)
    assert drawn == points(grid, 6, seed=3) and drawn != points(grid, 6, seed=4)
    assert len({tuple(p) for p in drawn}) == 6
    assert [every.index(p) for p in drawn] == sorted(every.index(p) for p in drawn)


@pytest.mark.parametrize("value", [1e-05, 0.0002, 3, True, None, [1000, 10], "relu", "a b", "1e3"])
def test_values_read_back_as_themselves(value):
    text = format_value(value)
    assert OmegaConf.from_dotlist([f"value={text}"]).value == value


def test_points_are_configs_with_the_grid_values():
    grid = parse_grid(["optimizer.lr=[1e-05]", "model.hidden=[[64,32]]"])
    cfg = load_config(points(grid)[0])
    assert cfg.optimizer.lr == 1e-05 and list(cfg.model.hidden) == [64, 32]


@pytest.mark.parametrize(
    "grid, start",
    [
        (["optimizer.lr"], "--grid 'optimizer.lr': expected KEY=[v1,v2,...]"),
        (["optimizer.lr=0.1"], "--grid optimizer.lr: expected a non-empty list"),
        (["optimizer.lr=[]"], "--grid optimizer.lr: expected a non-empty list"),
        (["optimizer.lr=[0.1,0.2"], "--grid optimizer.lr: could not parse"),
        (["seeds=[[0],[1]]"], "--grid seeds: set by the sweep"),
        (["launcher.jobs=[1,2]"], "--grid launcher.jobs: set by the sweep"),
        (["optimizer.lr=[1]", "optimizer.lr=[2]"], "--grid optimizer.lr: given twice"),
    ],
)
def test_bad_grid_syntax_is_refused(grid, start):
    with pytest.raises(ConfigError) as error:
        parse_grid(grid)
    assert str(error.value).startswith(start) and "\n" not in str(error.value)


@pytest.mark.parametrize(
    "spec, start",
    [
        (SweepSpec((), ("optimizer.lrr=[0.1]",)), "--grid optimizer.lrr: unknown key"),
        (SweepSpec((), ("optimizer.lr=[0.1,-1]",)), "--grid optimizer.lr: expected a finite"),
        (SweepSpec((), ("optimizer.lr=[0.1]",), random=2), "--random: expected 1 to 1"),
        (SweepSpec(("seeds=[0,1]",), ()), "seeds: set by the sweep; use --select-seeds"),
        (SweepSpec((), (), select_seeds=()), "--select-seeds: expected distinct seeds"),
        (SweepSpec(("optimizer.lr=-1",), ()), "optimizer.lr: expected a finite"),
    ],
)
def test_bad_sweeps_are_refused_before_running(spec, start):
    with pytest.raises(ConfigError) as error:
        plan(spec)
    assert str(error.value).startswith(start) and "\n" not in str(error.value), error.value


def test_cli_refusal_is_one_line_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "runs"
    code = main(["sweep", f"output_dir={out}", "--grid", "model.hiden=[[8]]", "progress=false"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith("forgetless: error: --grid model.hiden: unknown key"), err
    assert not out.exists()


def test_overrides_may_follow_the_options():
    """The README's example: key=value after ``--seeds 0 1 2`` is an override, not a seed."""
    from forgetless.app.cli import _parse

    args = _parse(
        ["sweep", "preset=hard_ash_recipe", "--grid", "optimizer.lr=[1e-4,2e-4]", "--grid"]
        + ["model.hidden=[[1000],[4000]]", "--seeds", "0", "1", "2", "launcher.jobs=4"]
    )
    assert args.overrides == ["preset=hard_ash_recipe", "launcher.jobs=4"]
    assert args.grid == ["optimizer.lr=[1e-4,2e-4]", "model.hidden=[[1000],[4000]]"]
    assert args.seeds == [0, 1, 2] and args.select_seeds == [0]
