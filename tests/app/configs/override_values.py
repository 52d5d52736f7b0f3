"""Hypothesis strategies for ``forgetless compare`` overrides: every key, typed and hostile values.

Paths are placeholders (``@IDX``, ``@FILE``, ``@MISSING``, ``@TMP``) that a test replaces with
real paths, so the strategies stay independent of any temporary folder.
"""

from __future__ import annotations

import string

from hypothesis import strategies as st

from forgetless.app.configs import available_presets
from forgetless.strategy_specs import STRATEGIES

BOUNDARY_INTS = [0, 1, -1, 2, 5, 10, 100, 101, 1000, 1001, 2**20, 2**20 + 1, 10**6, 10**8]
HUGE_INTS = [2**31, 2**63 - 1, 2**63, 10**20, -(10**20)]
HOSTILE_TEXT = [
    "bogus",
    "''",
    "${foo}",
    "${oc.env:FORGETLESS_NO_SUCH_VARIABLE}",
    "../escape",
    "/abs/path",
    "{a: b}",
    "[1, [2]]",
    "null",
    "true",
    "[]",
    "{}",
    "[1,",
    "nan",
    "-inf",
    "1e400",
]

ints = st.one_of(
    st.sampled_from(BOUNDARY_INTS), st.sampled_from(HUGE_INTS), st.integers(-(10**25), 10**25)
)
floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["0.0", "1e-12", "0.5", "1.0", "-5.0", "1e6", "1000001.0", "1e308"]),
)
text = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(alphabet=string.ascii_letters + string.digits + "._-/ ", max_size=8),
)
int_lists = st.lists(ints, max_size=4).map(lambda xs: "[" + ",".join(map(str, xs)) + "]")
anything = st.one_of(ints.map(str), floats, text, int_lists)


def names(vocabulary: list[str]) -> st.SearchStrategy[str]:
    """A YAML list of names from ``vocabulary`` (and one unknown name)."""
    items = st.lists(st.sampled_from([*vocabulary, "nope"]), max_size=3)
    return items.map(lambda xs: "[" + ",".join(xs) + "]")


def typed(*choices: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly values of the key's own kind, sometimes anything at all."""
    return st.one_of(*choices, anything)


INT = typed(ints.map(str))
FLOAT = typed(floats, ints.map(str))
BOOL = typed(st.sampled_from(["true", "false"]))

VALUES: dict[str, st.SearchStrategy[str]] = {
    "preset": typed(st.sampled_from(available_presets())),
    "scenario.name": typed(
        st.sampled_from(["split_mnist", "permuted_mnist", "split_fashion_mnist"])
    ),
    "scenario.n_experiences": INT,
    "scenario.source": typed(st.sampled_from(["auto", "idx", "embedded", "debian"])),
    "scenario.root": typed(st.sampled_from(["@IDX", "@FILE", "@MISSING", "null"])),
    "scenario.class_order": typed(
        int_lists, st.just("[9,8,7,6,5,4,3,2,1,0]"), st.just("[0,1,2,3,4,5,6,7,8,8]")
    ),
    "scenario.seed": INT,
    "scenario.streaming": BOOL,
    "scenario.task_incremental": BOOL,
    "seeds": typed(int_lists),
    "activations": typed(names(["relu", "elephant", "hard_ash", "aglu", "learnable_elephant"])),
    "strategies": typed(names(sorted(STRATEGIES))),
    "rules": typed(names(["backprop", "mono_forward", "noprop", "forward_forward"])),
    "model.kind": typed(st.sampled_from(["mlp", "cnn"])),
    "model.hidden": typed(int_lists),
    "model.bias": BOOL,
    "optimizer.name": typed(st.sampled_from(["sgd", "adam", "adagrad", "rmsprop"])),
    "optimizer.lr": FLOAT,
    "optimizer.momentum": FLOAT,
    "train.batch_size": INT,
    "train.eval_batch_size": INT,
    "train.epochs": INT,
    "train.update_clip": typed(floats, st.just("null")),
    "train.keep_optimizer_state": BOOL,
    "strategy_params.ewc.ewc_lambda": FLOAT,
    "strategy_params.ewc.mode": typed(st.sampled_from(["separate", "online"])),
    "strategy_params.ewc.decay_factor": typed(floats, st.just("null")),
    "strategy_params.si.si_lambda": FLOAT,
    "strategy_params.lwf.alpha": FLOAT,
    "strategy_params.lwf.temperature": FLOAT,
    "strategy_params.replay.mem_size": INT,
    "strategy_params.naive.extra": anything,
    "rule_params.noprop.T": INT,
    "rule_params.noprop.eta": FLOAT,
    "rule_params.mono_forward.predict_mode": typed(st.sampled_from(["last", "all"])),
    "activation_params.elephant.a": FLOAT,
    "activation_params.aglu.num_parameters": INT,
    "privacy.enabled": BOOL,
    "privacy.target_epsilon": typed(floats, st.just("null")),
    "privacy.delta": FLOAT,
    "run_name": typed(st.sampled_from(["ok", "r-1", ".", ".."])),
    "output_dir": typed(st.sampled_from(["@TMP/runs", "@FILE", "@FILE/below"])),
    "progress": BOOL,
    "bogus.key": anything,
}

overrides = st.lists(st.sampled_from(sorted(VALUES)), min_size=1, max_size=4, unique=True).flatmap(
    lambda keys: st.tuples(*(VALUES[key].map(lambda v, key=key: f"{key}={v}") for key in keys))
)
