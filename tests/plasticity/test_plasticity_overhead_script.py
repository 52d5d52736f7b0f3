"""benchmarks/plasticity_overhead.py runs, times the monitor inside the monitored cell and finds
the monitored and the plain training identical."""

import importlib.util
import re
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "plasticity_overhead.py"


@pytest.fixture(scope="module")
def benchmark():
    spec = importlib.util.spec_from_file_location("forgetless_plasticity_overhead", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
