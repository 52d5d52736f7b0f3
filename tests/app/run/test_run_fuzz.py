"""Property-based, end to end: a tiny ``forgetless compare`` with hostile overrides either exits 2
with one line and writes nothing, or exits 0 with a run folder in which no cell failed. A value
that could have been checked never yields a folder of failed cells (issue 12).

Budget: 6 generated runs and 4 explicit ones (every strategy with non-default parameters),
in-process on an 80-image fake IDX folder (about 15 s on two CPU cores).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from fake_idx_data import write_fake_idx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from forgetless.app.cli import main

HOSTILE = ["-1", "0", "1e400", "nan", "-5", "bogus", "{a: b}", "[1]", "99999999999999999999"]


def pick(*good: str) -> st.SearchStrategy[str]:
    """A good value two times in three, else a hostile one."""
    return st.one_of(st.sampled_from(good), st.sampled_from(good), st.sampled_from(HOSTILE))


OPTIONAL = {
    "strategies": st.sampled_from(["[naive]", "[replay]", "[ewc,si]", "[lwf]", "[naive,bogus]"]),
    "rules": st.sampled_from(["[backprop]", "[mono_forward]", "[backprop,noprop]"]),
    "train.batch_size": pick("1", "7", "64", "100000"),
    "train.eval_batch_size": pick("3", "1000"),
    "train.epochs": pick("1", "2"),
    "model.hidden": st.sampled_from(["[4]", "[3,3]", "[]", "[0]", "[100000]", "[[4]]"]),
    "seeds": st.sampled_from(["[0]", "[0,1]", "[-1]", "[0,0]", "[]"]),
    "scenario.class_order": st.sampled_from(["[9,8,7,6,5,4,3,2,1,0]", "[0,1]", "null"]),
    "scenario.task_incremental": st.sampled_from(["true", "false", "maybe"]),
    "strategy_params.replay.mem_size": pick("1", "30", "1000000"),
    "strategy_params.ewc.mode": st.sampled_from(["separate", "online", "bogus"]),
    "strategy_params.ewc.decay_factor": pick("0.5", "null", "1.5"),
    "strategy_params.ewc.ewc_lambda": pick("0", "10", "1e6"),
    "strategy_params.si.si_lambda": pick("0.1", "1000000.5"),
    "strategy_params.lwf.alpha": pick("0.5", "2"),
    "strategy_params.lwf.temperature": pick("0.5", "100", "101"),
    "optimizer.name": st.sampled_from(["sgd", "adam", "adagrad", "rmsprop"]),
    "optimizer.lr": pick("0.01", "1e-9"),
    "train.update_clip": pick("0.01", "null"),
    "train.keep_optimizer_state": st.sampled_from(["true", "false"]),
    "run_name": st.sampled_from(["ok", "../up", ".hidden", "a/b"]),
}

chosen = st.lists(st.sampled_from(sorted(OPTIONAL)), min_size=2, max_size=5, unique=True).flatmap(
    lambda keys: st.tuples(*(OPTIONAL[k].map(lambda v, k=k: f"{k}={v}") for k in keys))
)


@pytest.fixture(scope="module")
def idx_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fake_mnist")
    write_fake_idx(root)
    return root


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(items=chosen)
@example(
    items=(
        "strategies=[ewc,si]",
        "strategy_params.ewc.mode=online",
        "strategy_params.ewc.decay_factor=0.5",
        "strategy_params.si.si_lambda=0.1",
    )
)
@example(items=("strategies=[lwf]", "strategy_params.lwf.temperature=100", "train.batch_size=1"))
@example(items=("rules=[noprop]", "strategies=[replay]", "seeds=[0,1]"))
@example(
    items=("rules=[mono_forward]", "strategy_params.replay.mem_size=1000000", "strategies=[replay]")
)
def test_a_run_is_refused_up_front_or_has_no_failed_cell(items, idx_root):
    out = Path(tempfile.mkdtemp(prefix="forgetless-fuzz-"))
    base = [
        f"output_dir={out / 'runs'}",
        "progress=false",
        "references.joint=false",  # no reference rows here: tests/app/run/test_compare_references.py
        "references.heads=[]",
        "activations=[relu]",
        "model.hidden=[4]",
        "scenario.n_experiences=2",
        "scenario.source=idx",
        f"scenario.root={idx_root}",
    ]
    err, stdout = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(stdout):
            code = main(["compare", *base, *items])
        message = err.getvalue()
        runs = out / "runs"
        if code == 2:
            assert message.startswith("forgetless: error: ") and message.count("\n") == 1, message
            assert not runs.exists() or list(runs.iterdir()) == [], items
        else:
            assert code == 0, (items, message)
            (folder,) = list(runs.iterdir())
            cells = json.loads((folder / "results.json").read_text())["cells"]
            failed = [(c["rule"], c["strategy"], c["error"]) for c in cells if c["error"]]
            assert failed == [], (items, failed)
    finally:
        shutil.rmtree(out, ignore_errors=True)
