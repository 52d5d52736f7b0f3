"""A preset's ``scenario.source`` belongs to the preset's data: switching ``scenario.name`` (or
``scenario.root``) without naming a source goes back to ``auto``; a source the user names is kept
and checked (issue 26)."""

from __future__ import annotations

import pytest
from synthetic_cifar import write_synthetic_cifar

from forgetless.app.api import build_config
from forgetless.app.cli import main
from forgetless.app.configs import ConfigError, load_config, validate


@pytest.fixture(scope="module")
def cifar_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("cifar")
    write_synthetic_cifar(root, "cifar10", train_per_class=2, test_per_class=1)
    return root


def test_the_default_preset_still_runs_on_the_embedded_sample():
    for overrides in ([], ["scenario.name=split_mnist"], ["scenario.n_experiences=2"]):
        cfg = load_config(overrides)
        validate(cfg)
        assert cfg.scenario.source == "embedded"
    assert build_config().scenario.source == "embedded"


def test_switching_to_cifar_on_the_command_line_is_accepted(cifar_root):
    cfg = load_config(["scenario.name=split_cifar10", f"scenario.root={cifar_root}"])
    validate(cfg)
    assert cfg.scenario.source == "auto"


def test_switching_to_cifar_from_python_is_accepted(cifar_root):
    cfg = build_config(scenario={"name": "split_cifar10", "root": str(cifar_root)})
    assert cfg.scenario.source == "auto"
    cfg = build_config(overrides=["scenario.name=split_cifar10", f"scenario.root={cifar_root}"])
    assert cfg.scenario.source == "auto"


def test_a_root_without_a_source_is_read(tmp_path):
    """The embedded sample ignores a root: a root the user gives makes the source ``auto``."""
    assert load_config([f"scenario.root={tmp_path}"]).scenario.source == "auto"
    named = load_config([f"scenario.root={tmp_path}", "scenario.source=embedded"])
    assert named.scenario.source == "embedded"


def test_the_cifar_command_gets_past_the_config(cifar_root, tmp_path, capsys):
    """``forgetless compare scenario.name=split_cifar10 scenario.root=DIR`` is not refused."""
    code = main(
        [
            "compare",
            "--print-config",
            "scenario.name=split_cifar10",
            f"scenario.root={cifar_root}",
            f"output_dir={tmp_path}",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "source: auto" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            ["scenario.name=split_cifar10", "scenario.source=embedded"],
            "scenario.source (split_cifar10): expected one of ['auto', 'torchvision'], "
            "got 'embedded'",
        ),
        (
            ["scenario.name=split_fashion_mnist", "scenario.source=embedded"],
            "scenario.source: 'embedded' holds MNIST digits only; split_fashion_mnist needs "
            "scenario.source=auto, idx (with scenario.root), debian or torchvision",
        ),
        (
            ["scenario={name: split_fashion_mnist, source: embedded}"],
            "scenario.source: 'embedded' holds MNIST digits only",
        ),
    ],
)
def test_a_source_the_user_names_is_still_checked(cifar_root, overrides, message):
    with pytest.raises(ConfigError) as refused:
        validate(load_config([*overrides, f"scenario.root={cifar_root}"]))
    assert str(refused.value).startswith(message)
    with pytest.raises(ConfigError) as refused:
        build_config(overrides=[*overrides, f"scenario.root={cifar_root}"])
    assert str(refused.value).startswith(message)


def test_a_source_named_from_python_is_still_checked(cifar_root):
    with pytest.raises(ConfigError, match=r"^scenario\.source \(split_cifar10\): expected one"):
        build_config(
            scenario={"name": "split_cifar10", "source": "embedded", "root": str(cifar_root)}
        )
