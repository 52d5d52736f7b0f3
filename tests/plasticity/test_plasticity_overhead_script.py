"""benchmarks/plasticity_overhead.py runs, times the monitor inside the monitored cell and finds
the monitored and the plain training identical."""

import re

import pytest
from benchmark_scripts import benchmark_module


@pytest.fixture(scope="module")
def benchmark():
    yield from benchmark_module("plasticity_overhead.py")


def test_one_short_repeat_measures_both_overheads_on_identical_matrices(benchmark, capsys):
    benchmark.main(["--repeats", "1", "--experiences", "1"])
    printed = capsys.readouterr().out
    assert "identical accuracy matrices: True" in printed
    calls = int(re.search(r"measurements per monitored cell: (\d+)", printed)[1])
    assert calls >= 2  # the stream's start and the end of its experience
    share = float(re.search(r"overhead inside = ([\d.]+) %", printed)[1])
    assert 0.0 < share < 100.0
    assert "side by side = " in printed


def test_bad_arguments_are_refused(benchmark, capsys):
    with pytest.raises(SystemExit):
        benchmark.main(["--experiences", "0"])
    assert "--experiences: expected at least 1, got 0" in capsys.readouterr().err
