"""A monitor history summarised per tenth of the stream (hand-computed values)."""

import pytest

from forgetless.plasticity.history import experience_ends, layer_mean, monitor_record, tenth_means

A, B = "plasticity/a/dormant_units", "plasticity/b/dormant_units"


def _history(n: int) -> list[dict[str, float]]:
    rows = []
    for k in range(1, n + 1):  # two rows per experience; the second is its end
        rows.append({"step": 2.0 * k - 1, "experience": float(k), A: -1.0, B: -1.0})
        rows.append({"step": 2.0 * k, "experience": float(k), A: float(k), B: 10.0 * k})
    return rows


def test_tenths_average_the_experience_ends():
    history = _history(20)
    assert [row["step"] for row in experience_ends(history)] == [2.0 * k for k in range(1, 21)]
    tenths = tenth_means(history, 20)
    assert tenths["first_tenth"] == {A: 1.5, B: 15.0}  # experiences 1, 2
    assert tenths["last_tenth"] == {A: 19.5, B: 195.0}  # experiences 19, 20
    assert layer_mean(tenths["last_tenth"], "dormant_units") == pytest.approx(107.25)
    assert layer_mean(tenths["last_tenth"], "effective_rank") is None


def test_short_streams_have_no_tenths_and_gaps_are_refused():
    assert tenth_means(_history(9), 9) == {}
    record = monitor_record(_history(9), 9)
    assert record["plasticity_first_tenth"] is None and len(record["plasticity_monitor"]) == 18
    with pytest.raises(ValueError, match="experiences 1..12"):
        tenth_means(_history(10), 12)
