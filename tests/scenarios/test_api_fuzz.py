"""Property-based: the Python API's scenario builders and strategy-parameter checks either return
something usable or raise one ValueError line naming the argument (issue 12, systematic suite).

Budget: 60 + 60 + 100 examples on an 80-image fake IDX folder (about 10 s on two CPU cores).
"""

from __future__ import annotations

import pytest
from fake_idx_data import write_fake_idx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from forgetless.scenario_specs import MAX_PERMUTED_TASKS
from forgetless.scenarios import permuted_mnist, split_mnist
from forgetless.strategy_specs import STRATEGIES, check_strategy_params

SETTINGS = dict(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
values = st.one_of(
    st.integers(-3, 12),
    st.sampled_from([100, 101, 2**63, -(2**63), 10**30]),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.lists(st.integers(-1, 10), max_size=11),
    st.permutations(list(range(10))),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    folder = tmp_path_factory.mktemp("idx")
    write_fake_idx(folder)
    return folder


def one_line_naming(error: ValueError, names: tuple[str, ...]) -> None:
    message = str(error)
    assert "\n" not in message and message.split(":")[0] in names, message


@settings(max_examples=60, **SETTINGS)
@given(n=values, order=values, seed=values)
@example(n=1, order=0, seed=0)  # found by this suite: a TypeError from list(0)
def test_split_mnist_arguments(root, n, order, seed):
    try:
        scenario = split_mnist(n, class_order=order, seed=seed, source="idx", root=root)
    except ValueError as error:
        one_line_naming(error, ("n_experiences", "class_order", "seed"))
        return
    assert sorted(c for group in scenario.classes for c in group) == list(range(10))
    assert all(len(d) > 0 for d in (*scenario.train, *scenario.test))


@settings(max_examples=60, **SETTINGS)
@given(n=values, seed=values)
def test_permuted_mnist_arguments(root, n, seed):
    try:
        scenario = permuted_mnist(n, seed=seed, source="idx", root=root)
    except ValueError as error:
        one_line_naming(error, ("n_tasks", "seed"))
        return
    assert 1 <= len(scenario) == n <= MAX_PERMUTED_TASKS
    assert all(len(d) > 0 for d in (*scenario.train, *scenario.test))


@settings(max_examples=100, **SETTINGS)
@given(
    name=st.sampled_from([*STRATEGIES, "bogus"]),
    params=st.dictionaries(
        st.sampled_from(["ewc_lambda", "mode", "decay_factor", "si_lambda", "alpha", "temperature"])
        | st.sampled_from(["mem_size", "other"]),
        values | st.sampled_from(["separate", "online"]),
        max_size=3,
    ),
)
def test_strategy_parameters(name, params):
    try:
        checked = check_strategy_params(name, params)
    except ValueError as error:
        keys = {
            "",
            *(
                f".{key}"
                for key in (*(STRATEGIES[name].params if name in STRATEGIES else {}), *params)
            ),
        }
        one_line_naming(error, ("strategy", *(f"strategy_params.{name}{key}" for key in keys)))
        return
    schema = STRATEGIES[name].params
    assert set(checked) == set(schema)
    for key, value in checked.items():
        assert schema[key].check(value) == value  # every returned value fits its spec
