"""benchmarks/overhead.py (README's overhead figure) runs and both sides give the same matrices."""

import pytest
from benchmark_scripts import benchmark_module


@pytest.fixture(scope="module")
def overhead():
    yield from benchmark_module("overhead.py")


def test_one_repeat_times_both_sides_on_identical_matrices(overhead, capsys):
    assert overhead.main(["--repeats", "1"]) is True
    printed = capsys.readouterr().out
    assert "ratio forgetless / avalanche = " in printed
    assert "identical accuracy matrices: True" in printed


def test_repeats_below_one_are_refused(overhead, capsys):
    with pytest.raises(SystemExit):
        overhead.main(["--repeats", "0"])
    assert "--repeats: expected at least 1, got 0" in capsys.readouterr().err
