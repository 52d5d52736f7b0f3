"""results.json records the data a run really used (resolved source, root, sizes and classes per
experience and seed), the command line and the git revision; the run prints which data it used."""

from __future__ import annotations

import json
import re
import sys

from grid_helpers import GRID

from forgetless.app.configs import load_config
from forgetless.app.run.compare import run_compare
from forgetless.report.results_json import _git_revision


def test_results_record_the_data_and_the_command(tmp_path):
    printed: list[str] = []
    cfg = load_config([*GRID, "activations=[relu]", f"output_dir={tmp_path}", "run_name=p"])
    folder = run_compare(cfg, echo=printed.append)
    env = json.loads((folder / "results.json").read_text())["environment"]
    data = env["data"]
    assert (data["scenario"], data["source"], data["root"]) == ("split_mnist", "embedded", None)
    assert data["source"] != "auto" and data["source_asked"] == cfg.scenario.source
    assert sorted(data["experiences"]) == ["0", "1"]
    for seed in data["experiences"].values():
        assert len(seed["classes"]) == 2 and sorted(sum(seed["classes"], [])) == list(range(10))
        assert len(seed["train_sizes"]) == 2 and all(n > 0 for n in seed["train_sizes"])
        assert sum(seed["test_sizes"]) == 1000  # the embedded sample's test split
    assert env["command"] == sys.argv
    assert re.fullmatch(r"[0-9a-f]{40}", env["git_revision"])  # this checkout's commit
    (line,) = [p for p in printed if p.startswith("data: ")]
    assert "from source embedded" in line and "embedded 5,000-digit sample" in line


def test_git_revision_is_null_outside_a_checkout(tmp_path):
    assert _git_revision(tmp_path) is None
