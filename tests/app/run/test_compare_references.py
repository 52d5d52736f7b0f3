"""The reference rows of a comparison (joint bound, reference heads) and the heads axis."""

import json
import math

import pytest
from grid_helpers import TINY

from forgetless.app.configs import ConfigError, load_config, validate
from forgetless.app.run.cell import Cell, run_cell
from forgetless.app.run.compare import grid, run_compare
from forgetless.app.run.scenario_builder import build_scenario
from forgetless.metrics.bounds import intransigence
from forgetless.report.labels import REFERENCE

HEADS = ["references.joint=true", "references.heads=[ncm_pixels]", "heads=[none,ncm]"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    cfg = load_config([*TINY, *HEADS, "activations=[relu]", f"output_dir={out}", "run_name=r"])
    lines = []
    folder = run_compare(cfg, echo=lines.append)
    return folder, json.loads((folder / "results.json").read_text()), "\n".join(lines)


def test_grid_adds_one_joint_per_rule_activation_seed_and_heads_per_seed():
    cfg = load_config(["activations=[relu,aglu]", "seeds=[0,1]", "strategies=[naive,replay]"])
    cells = grid(cfg)
    joints = [c for c in cells if c.strategy == "joint"]
    refs = [c for c in cells if c.rule == REFERENCE]
    assert len(joints) == 2 * 2 and len(refs) == 3 * 2 and len(cells) == 8 + 4 + 6
    assert {c.head for c in refs} == {"slda_pixels", "ncm_pixels", "slda_random"}
    off = load_config(["references.joint=false", "references.heads=[]", "strategies=[joint]"])
    assert [c.strategy for c in grid(off)] == ["joint"] * 5  # asked for: not added twice


def test_joint_record_and_bounds(run):
    _, data, _ = run
    cells = {(c["strategy"], c["head"]): c for c in data["cells"]}
    assert set(cells) == {("naive", "none"), ("naive", "ncm"), ("joint", "none"),
                          (REFERENCE, "ncm_pixels")}  # fmt: skip
    joint = cells["joint", "none"]
    assert joint["error"] is None and joint["accuracy_matrix"] is None
    a = joint["joint_accuracy"]
    assert len(a) == 2 and joint["acc"] == pytest.approx(sum(a) / 2) and joint["acc"] > 0.6
    naive = cells["naive", "none"]
    assert naive["acc_vs_joint"] == pytest.approx(naive["acc"] / joint["acc"])
    assert naive["intransigence"] == pytest.approx(intransigence(naive["accuracy_matrix"], a))
    assert naive["acc"] < joint["acc"]  # fine-tuning forgets; joint does not
    for key in ("acc_vs_joint", "intransigence"):
        assert joint[key] is None and cells[REFERENCE, "ncm_pixels"][key] is None
    ref = cells[REFERENCE, "ncm_pixels"]
    assert len(ref["accuracy_matrix"]) == 2 and ref["accuracy_matrix"][0][1] == 0.0
    assert ref["acc"] > 0.6  # nearest class mean on pixels learns without a network
    names = [r["name"] for r in data["references"]]
    assert names == ["relu/joint (upper bound)", "ncm_pixels"]


def test_summary_and_terminal_show_the_reference_rows(run):
    folder, data, printed = run
    summary = (folder / "summary.md").read_text()
    assert "## Reference rows" in summary and "| relu/joint (upper bound) |" in summary
    assert "| ncm_pixels |" in summary and "Chaudhry" in summary
    assert (
        "| Activation | Head | Strategy |" in summary and "ACC / joint | Intransigence" in summary
    )
    main_table = summary.split("## Reference rows")[0]
    assert "joint" not in main_table.split("\n", 3)[3]  # the bound is not a grid row
    assert "Reference rows:" in printed
    assert len(list((folder / "cells").iterdir())) == 4  # one file per cell, head in the name


@pytest.mark.parametrize("features", ["init", "online"])
def test_grid_head_modes(features):
    cfg = load_config([*TINY, f"head.features={features}", "heads=[slda]"])
    scenario = build_scenario(cfg.scenario, 0)
    record = run_cell(cfg, Cell("relu", "backprop", "naive", 0, "slda"), scenario)
    R = record["accuracy_matrix"]
    assert record["training"]["head_features"] == features
    assert R[0][1] == 0.0 and R[0][0] > 0.6  # the head predicts only the classes it has seen
    assert math.isfinite(record["acc"]) and record["baseline_accuracy"] is None


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        (["heads=[slda,lda]"], "heads"),
        (["heads=[]"], "heads"),
        (["references.heads=[slda_pixel]"], "references.heads"),
        (["head.features=later", "heads=[slda]"], "head.features"),
        (["head.shrinkage=0"], "head.shrinkage"),
        (["references.random_features=0"], "references.random_features"),
        (["heads=[slda]", "rules=[mono_forward]"], "heads: ['slda'] read a network cut"),
        (["heads=[ncm]", "model.kind=reduced_resnet18"], "heads: ['ncm'] read model.features"),
        (["heads=[ncm]", "strategies=[naive,joint]"], "heads: ['ncm'] read the stream"),
        (["heads=[ncm]", "head.features=init", "strategies=[replay]"], "heads: with head.f"),
        (["heads=[ncm]", "strategies=[naive,ewc]"], "heads: with head.features=first_experience"),
    ],
)
def test_refusals_name_the_key(overrides, key):
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")) as error:
        validate(load_config(overrides))
    assert "\n" not in str(error.value)


def test_conv_reference_heads_read_fixed_random_conv_features():
    from forgetless.app.run.head_cell import _reference_head
    from forgetless.heads import RandomConvFeatures

    cfg = load_config(["references.heads=[slda_conv,ncm_conv]"])
    validate(cfg)
    scenario = build_scenario(cfg.scenario, 0)
    cell = Cell(REFERENCE, REFERENCE, REFERENCE, 0, "slda_conv")
    model = _reference_head(cfg, cell, scenario)
    assert isinstance(model.extractor, RandomConvFeatures)
    assert model.head.num_features == 64 * 7 * 7  # 64 filters on 28 x 28, pooled 4 x 4
    again = _reference_head(cfg, cell, scenario)  # the cell's seed draws the same filters
    assert all(a.equal(b) for a, b in zip(model.buffers(), again.buffers(), strict=True))
