import json

import pytest

from forgetless.app.cli import main
from forgetless.app.configs import ConfigError, load_config, validate
from forgetless.app.run.compare import run_compare


def test_tiny_private_run_reports_epsilon_over_the_stream(tmp_path):
    cfg = load_config(
        [
            "preset=private_split_mnist",
            f"output_dir={tmp_path}",
            "run_name=p",
            "scenario.n_experiences=2",
            "model.hidden=[16]",
            "train.batch_size=128",
            "progress=false",
            "references.joint=false",  # no reference rows here: tests/app/run/test_compare_references.py
            "references.heads=[]",
        ]
    )
    lines = []
    folder = run_compare(cfg, echo=lines.append)
    data = json.loads((folder / "results.json").read_text())
    assert [c["error"] for c in data["cells"]] == [None, None]
    for cell in data["cells"]:
        privacy = cell["privacy"]
        assert 0 < privacy["epsilon"] <= 3.0 + 1e-6 and privacy["delta"] == 1e-5
        assert privacy["steps"] > 0 and "whole stream" in privacy["scope"]
    header = next(line for line in lines if line.startswith("| "))
    assert "ε (stream)" in header
    assert "accounted over the whole stream" in (folder / "summary.md").read_text()


@pytest.mark.parametrize(
    "override, pattern",
    [
        (["privacy.target_epsilon=0"], r"^privacy\.target_epsilon"),
        (["privacy.max_grad_norm=-1"], r"^privacy\.max_grad_norm"),
        (["strategies=[ewc]"], r"^strategies \(privacy\.enabled\)"),
        (["rules=[mono_forward]"], r"^rules \(privacy\.enabled\)"),
    ],
)
def test_private_config_errors(override, pattern):
    cfg = load_config(["preset=private_split_mnist", *override])
    with pytest.raises(ConfigError, match=pattern):
        validate(cfg)


def test_delta_too_large_for_the_data_exits_2_before_writing(tmp_path, capsys):
    code = main(
        [
            "compare",
            "preset=private_split_mnist",
            f"output_dir={tmp_path / 'runs'}",
            "privacy.delta=0.01",
        ]
    )
    assert code == 2
    assert capsys.readouterr().err.startswith(
        "forgetless: error: privacy.delta: expected delta < 1/N"
    )
    assert not (tmp_path / "runs").exists()
