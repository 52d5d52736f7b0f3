"""Sizes have upper bounds, strategy parameters a schema, paths are checked, and every message
names its key (issue 12: values that used to exhaust memory, fail inside the run or name no key)."""

import os

import pytest

from forgetless.app.configs import ConfigError, load_config, validate
from forgetless.app.configs.limits import MAX_PARAMETERS


def refused(overrides: list[str]) -> str:
    cfg = load_config(overrides)
    with pytest.raises(ConfigError) as info:
        validate(cfg)
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    "overrides, start",
    [
        (
            ["preset=permuted_mnist", "scenario.n_experiences=100000000"],
            "scenario.n_experiences: expected an integer in [1, 100]",
        ),
        (
            ["train.batch_size=99999999999999999999"],
            "train.batch_size: expected an integer in [1, 1,048,576]",
        ),
        (["train.eval_batch_size=99999999999999999999"], "train.eval_batch_size: "),
        (["train.epochs=1000000"], "train.epochs: "),
        (["seeds=[" + ",".join(map(str, range(101))) + "]"], "seeds: expected at most 100 seeds"),
        (["seeds=[9223372036854775807]", "scenario.seed=1"], "seeds: "),
        (["model.hidden=[100000]"], "model.hidden: expected 1 to 32 layer sizes"),
        (
            ["model.hidden=[60000,60000]"],
            "model.hidden: the network would have 3,647,760,010 parameters",
        ),
        (
            ["rules=[noprop]", "rule_params.noprop.T=100000000"],
            "rule_params.noprop.T: expected integers of at most 100",
        ),
        (
            ["rules=[noprop]", "rule_params.noprop.T=100", "model.hidden=[4000]"],
            "model.hidden (rule noprop): ",
        ),
        (
            ["activation_params.aglu.num_parameters=100000000000"],
            "activation_params.aglu.num_parameters: ",
        ),
    ],
)
def test_sizes_are_bounded_before_anything_is_allocated(overrides, start):
    assert refused(overrides).startswith(start)


def test_the_parameter_limit_is_what_the_count_says():
    width = 8000  # 784*8000 + 8000*10 weights: under the limit; two such layers are over
    assert 784 * width + width * 10 < MAX_PARAMETERS < 784 * width + width * width
    validate(load_config([f"model.hidden=[{width}]", "activations=[relu]"]))
    assert refused([f"model.hidden=[{width},{width}]", "activations=[relu]"]).startswith(
        "model.hidden: the network would have"
    )


@pytest.mark.parametrize(
    "overrides, start",
    [
        (
            ["strategies=[replay]", "strategy_params.replay.mem_size=-1"],
            "strategy_params.replay.mem_size: ",
        ),
        (["strategy_params.ewc.mode=bogus"], "strategy_params.ewc.mode: expected one of"),
        (["strategy_params.ewc.ewc_lambda=-5"], "strategy_params.ewc.ewc_lambda: "),
        (["strategy_params.lwf.alpha={a: b}"], "strategy_params.lwf.alpha: "),
        (["strategy_params.si.si_lambda=-10625"], "strategy_params.si.si_lambda: "),
        (["rules=[mono_forward]", "strategies=[naive,ewc]"], "strategies: ['ewc'] add a penalty"),
        (["rules=[noprop]", "model.kind=cnn"], "model.kind: rules ['noprop'] build their own MLP"),
    ],
)
def test_values_that_used_to_fail_inside_the_run_are_refused(overrides, start):
    assert refused(overrides).startswith(start)


@pytest.mark.parametrize(
    "overrides, start",
    [
        (["run_name=../escape"], "run_name: expected a plain folder name"),
        (["run_name=/tmp/absolute"], "run_name: expected a plain folder name"),
        (["run_name=.hidden"], "run_name: "),
        (["run_name=" + "x" * 300], "run_name: expected at most 200 bytes"),
        (["run_name=${foo}"], "run_name: Interpolation key 'foo' not found"),
        (
            ["scenario.root=/nonexistent/forgetless"],
            "scenario.root: /nonexistent/forgetless is not an existing folder",
        ),
        (["scenario.name=split_fashion_mnist", "scenario.root=/nonexistent/x"], "scenario.root: "),
        (
            ["scenario.name=split_fashion_mnist", "scenario.source=embedded"],
            "scenario.source: 'embedded' holds MNIST digits only",
        ),
        (["scenario.class_order=[1,2]"], "scenario.class_order: expected a permutation of 0..9"),
        (
            ["preset=permuted_mnist", "scenario.class_order=[0,1,2,3,4,5,6,7,8,9]"],
            "scenario.class_order: applies to split",
        ),
        (["scenario.source=idx"], "scenario.root: scenario.source=idx needs root"),
        (["seeds=[-1]"], "seeds: "),
        (["seeds=[1,[2]]"], "seeds[1]: expected an integer, got [2]"),  # found by the fuzz suite
        (["activations=[{a: 1}]"], "activations[0]: expected a name, got {'a': 1}"),
        (["scenario.seed=-3"], "scenario.seed: "),
    ],
)
def test_messages_name_the_key(overrides, start):
    assert refused(overrides).startswith(start)


def test_output_dir_must_be_a_writable_folder(tmp_path):
    afile = tmp_path / "file"
    afile.write_text("x")
    assert refused([f"output_dir={afile}"]) == f"output_dir: {afile} is not a folder"
    assert refused([f"output_dir={afile}/below"]).startswith(
        f"output_dir: {afile}/below cannot be created: {afile} is not a folder"
    )
    validate(load_config([f"output_dir={tmp_path}/new/deeper"]))  # creatable: accepted
    assert not (tmp_path / "new").exists()  # and nothing was created by validating
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        assert refused([f"output_dir={locked}"]) == f"output_dir: {locked} is not writable"


def test_empty_preset_is_refused():
    with pytest.raises(ConfigError, match=r"^preset: expected one of \[.*\], got ''$"):
        load_config(["preset="])
