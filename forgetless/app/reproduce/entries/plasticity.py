"""docs/plasticity.md, "The plasticity stream" (issue 25): ``preset=plasticity`` per activation
and per intervention, with the monitors at the first and last tenth of the stream, and the
validation search of continual backprop's settings."""

from __future__ import annotations

from forgetless.app.reproduce.entries.common import DIGITS_3, sh
from forgetless.app.reproduce.entry import Entry, Value

#: LA and the dormant fractions are printed with three decimals, the effective ranks with two.
MONITORED = 0.005
ACTIVATIONS = (
    "relu,elu,hard_ash,hardswish,identity,learnable_elephant,mish,selu,silu,softplus,"
    "tempered_sigmoid,aglu,apa,ash,celu,elephant,gelu,leaky_relu,relu6,sigmoid,tanh"
)
SOURCE = "docs/plasticity.md#the-plasticity-stream-issue-25-item-4"

Row = tuple[str, str, tuple[tuple[str, float], ...]]


def _values(rows: tuple[Row, ...]) -> tuple[Value, ...]:
    return tuple(
        Value(f"{activation}/{strategy}/{key}", number)
        for activation, strategy, pairs in rows
        for key, number in pairs
    )


ACTIVATION_ROWS: tuple[Row, ...] = (
    ("identity", "naive", (("la_first_tenth", 0.825), ("la_last_tenth", 0.815))),
    (
        "hard_ash",
        "naive",
        (
            ("la_first_tenth", 0.873),
            ("la_last_tenth", 0.857),
            ("dormant_units_first_tenth", 0.065),
            ("dormant_units_last_tenth", 0.091),
            ("tau_dormant_0_first_tenth", 0.022),
            ("tau_dormant_0_last_tenth", 0.043),
            ("effective_rank_first_tenth", 40.31),
            ("effective_rank_last_tenth", 44.03),
        ),
    ),
    (
        "ash",
        "naive",
        (
            ("la_first_tenth", 0.874),
            ("la_last_tenth", 0.858),
            ("dormant_units_first_tenth", 0.136),
            ("dormant_units_last_tenth", 0.064),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 35.65),
            ("effective_rank_last_tenth", 44.0),
        ),
    ),
    (
        "learnable_elephant",
        "naive",
        (
            ("la_first_tenth", 0.879),
            ("la_last_tenth", 0.85),
            ("dormant_units_first_tenth", 0.005),
            ("dormant_units_last_tenth", 0.001),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 52.17),
            ("effective_rank_last_tenth", 45.67),
        ),
    ),
    (
        "apa",
        "naive",
        (
            ("la_first_tenth", 0.874),
            ("la_last_tenth", 0.838),
            ("dormant_units_first_tenth", 0.002),
            ("dormant_units_last_tenth", 0.0),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 48.3),
            ("effective_rank_last_tenth", 48.08),
        ),
    ),
    (
        "aglu",
        "naive",
        (
            ("la_first_tenth", 0.88),
            ("la_last_tenth", 0.834),
            ("dormant_units_first_tenth", 0.0),
            ("dormant_units_last_tenth", 0.001),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 45.25),
            ("effective_rank_last_tenth", 36.65),
        ),
    ),
    (
        "leaky_relu",
        "naive",
        (
            ("la_first_tenth", 0.871),
            ("la_last_tenth", 0.823),
            ("dormant_units_first_tenth", 0.0),
            ("dormant_units_last_tenth", 0.0),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 38.74),
            ("effective_rank_last_tenth", 40.29),
        ),
    ),
    (
        "elephant",
        "naive",
        (
            ("la_first_tenth", 0.873),
            ("la_last_tenth", 0.816),
            ("dormant_units_first_tenth", 0.007),
            ("dormant_units_last_tenth", 0.0),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 52.19),
            ("effective_rank_last_tenth", 58.47),
        ),
    ),
    (
        "selu",
        "naive",
        (
            ("la_first_tenth", 0.873),
            ("la_last_tenth", 0.814),
            ("dormant_units_first_tenth", 0.004),
            ("dormant_units_last_tenth", 0.215),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 50.02),
            ("effective_rank_last_tenth", 45.33),
        ),
    ),
    (
        "celu",
        "naive",
        (
            ("la_first_tenth", 0.878),
            ("la_last_tenth", 0.818),
            ("dormant_units_first_tenth", 0.003),
            ("dormant_units_last_tenth", 0.313),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 47.58),
            ("effective_rank_last_tenth", 39.65),
        ),
    ),
    (
        "elu",
        "naive",
        (
            ("la_first_tenth", 0.878),
            ("la_last_tenth", 0.818),
            ("dormant_units_first_tenth", 0.003),
            ("dormant_units_last_tenth", 0.313),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 47.58),
            ("effective_rank_last_tenth", 39.65),
        ),
    ),
    (
        "relu",
        "naive",
        (
            ("la_first_tenth", 0.871),
            ("la_last_tenth", 0.803),
            ("dormant_units_first_tenth", 0.239),
            ("dormant_units_last_tenth", 0.453),
            ("tau_dormant_0_first_tenth", 0.152),
            ("tau_dormant_0_last_tenth", 0.428),
            ("effective_rank_first_tenth", 35.8),
            ("effective_rank_last_tenth", 33.42),
        ),
    ),
    (
        "sigmoid",
        "naive",
        (
            ("la_first_tenth", 0.861),
            ("la_last_tenth", 0.788),
            ("dormant_units_first_tenth", 0.007),
            ("dormant_units_last_tenth", 0.132),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 33.21),
            ("effective_rank_last_tenth", 43.23),
        ),
    ),
    (
        "tanh",
        "naive",
        (
            ("la_first_tenth", 0.857),
            ("la_last_tenth", 0.783),
            ("dormant_units_first_tenth", 0.022),
            ("dormant_units_last_tenth", 0.0),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 54.71),
            ("effective_rank_last_tenth", 78.25),
        ),
    ),
    (
        "tempered_sigmoid",
        "naive",
        (
            ("la_first_tenth", 0.857),
            ("la_last_tenth", 0.783),
            ("dormant_units_first_tenth", 0.022),
            ("dormant_units_last_tenth", 0.0),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 54.71),
            ("effective_rank_last_tenth", 78.25),
        ),
    ),
    (
        "mish",
        "naive",
        (
            ("la_first_tenth", 0.875),
            ("la_last_tenth", 0.797),
            ("dormant_units_first_tenth", 0.002),
            ("dormant_units_last_tenth", 0.434),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 42.87),
            ("effective_rank_last_tenth", 32.85),
        ),
    ),
    (
        "hardswish",
        "naive",
        (
            ("la_first_tenth", 0.867),
            ("la_last_tenth", 0.779),
            ("dormant_units_first_tenth", 0.018),
            ("dormant_units_last_tenth", 0.45),
            ("tau_dormant_0_first_tenth", 0.003),
            ("tau_dormant_0_last_tenth", 0.414),
            ("effective_rank_first_tenth", 42.99),
            ("effective_rank_last_tenth", 32.62),
        ),
    ),
    (
        "softplus",
        "naive",
        (
            ("la_first_tenth", 0.876),
            ("la_last_tenth", 0.786),
            ("dormant_units_first_tenth", 0.002),
            ("dormant_units_last_tenth", 0.433),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 37.51),
            ("effective_rank_last_tenth", 32.89),
        ),
    ),
    (
        "silu",
        "naive",
        (
            ("la_first_tenth", 0.876),
            ("la_last_tenth", 0.75),
            ("dormant_units_first_tenth", 0.001),
            ("dormant_units_last_tenth", 0.417),
            ("tau_dormant_0_first_tenth", 0.0),
            ("tau_dormant_0_last_tenth", 0.0),
            ("effective_rank_first_tenth", 42.08),
            ("effective_rank_last_tenth", 33.51),
        ),
    ),
    (
        "gelu",
        "naive",
        (
            ("la_first_tenth", 0.875),
            ("la_last_tenth", 0.723),
            ("dormant_units_first_tenth", 0.031),
            ("dormant_units_last_tenth", 0.446),
            ("tau_dormant_0_first_tenth", 0.002),
            ("tau_dormant_0_last_tenth", 0.375),
            ("effective_rank_first_tenth", 39.88),
            ("effective_rank_last_tenth", 32.87),
        ),
    ),
    (
        "relu6",
        "naive",
        (
            ("la_first_tenth", 0.865),
            ("la_last_tenth", 0.398),
            ("dormant_units_first_tenth", 0.246),
            ("dormant_units_last_tenth", 0.484),
            ("tau_dormant_0_first_tenth", 0.163),
            ("tau_dormant_0_last_tenth", 0.458),
            ("effective_rank_first_tenth", 40.17),
            ("effective_rank_last_tenth", 35.59),
        ),
    ),
)

INTERVENTION_ROWS: tuple[Row, ...] = (
    (
        "relu",
        "naive",
        (
            ("la_first_tenth", 0.872),
            ("la_first_tenth_std", 0.003),
            ("la_last_tenth", 0.779),
            ("la_last_tenth_std", 0.041),
            ("dormant_units_first_tenth", 0.22),
            ("dormant_units_first_tenth_std", 0.016),
            ("dormant_units_last_tenth", 0.456),
            ("dormant_units_last_tenth_std", 0.004),
            ("tau_dormant_0_first_tenth", 0.13),
            ("tau_dormant_0_first_tenth_std", 0.024),
            ("tau_dormant_0_last_tenth", 0.431),
            ("tau_dormant_0_last_tenth_std", 0.006),
            ("effective_rank_first_tenth", 36.83),
            ("effective_rank_first_tenth_std", 0.91),
            ("effective_rank_last_tenth", 32.39),
            ("effective_rank_last_tenth_std", 1.07),
        ),
    ),
    (
        "relu",
        "continual_backprop",
        (
            ("la_first_tenth", 0.864),
            ("la_first_tenth_std", 0.006),
            ("la_last_tenth", 0.845),
            ("la_last_tenth_std", 0.011),
            ("dormant_units_first_tenth", 0.236),
            ("dormant_units_first_tenth_std", 0.011),
            ("dormant_units_last_tenth", 0.361),
            ("dormant_units_last_tenth_std", 0.012),
            ("tau_dormant_0_first_tenth", 0.171),
            ("tau_dormant_0_first_tenth_std", 0.007),
            ("tau_dormant_0_last_tenth", 0.257),
            ("tau_dormant_0_last_tenth_std", 0.004),
            ("effective_rank_first_tenth", 35.87),
            ("effective_rank_first_tenth_std", 0.41),
            ("effective_rank_last_tenth", 34.62),
            ("effective_rank_last_tenth_std", 0.21),
        ),
    ),
    (
        "relu",
        "shrink_perturb",
        (
            ("la_first_tenth", 0.864),
            ("la_first_tenth_std", 0.005),
            ("la_last_tenth", 0.865),
            ("la_last_tenth_std", 0.004),
            ("dormant_units_first_tenth", 0.16),
            ("dormant_units_first_tenth_std", 0.02),
            ("dormant_units_last_tenth", 0.123),
            ("dormant_units_last_tenth_std", 0.014),
            ("tau_dormant_0_first_tenth", 0.125),
            ("tau_dormant_0_first_tenth_std", 0.017),
            ("tau_dormant_0_last_tenth", 0.081),
            ("tau_dormant_0_last_tenth_std", 0.012),
            ("effective_rank_first_tenth", 30.84),
            ("effective_rank_first_tenth_std", 0.86),
            ("effective_rank_last_tenth", 29.38),
            ("effective_rank_last_tenth_std", 0.7),
        ),
    ),
    (
        "relu",
        "redo",
        (
            ("la_first_tenth", 0.874),
            ("la_first_tenth_std", 0.001),
            ("la_last_tenth", 0.777),
            ("la_last_tenth_std", 0.016),
            ("dormant_units_first_tenth", 0.252),
            ("dormant_units_first_tenth_std", 0.021),
            ("dormant_units_last_tenth", 0.432),
            ("dormant_units_last_tenth_std", 0.014),
            ("tau_dormant_0_first_tenth", 0.173),
            ("tau_dormant_0_first_tenth_std", 0.023),
            ("tau_dormant_0_last_tenth", 0.39),
            ("tau_dormant_0_last_tenth_std", 0.015),
            ("effective_rank_first_tenth", 35.58),
            ("effective_rank_first_tenth_std", 0.85),
            ("effective_rank_last_tenth", 32.93),
            ("effective_rank_last_tenth_std", 0.7),
        ),
    ),
)

PLASTICITY_ACTIVATIONS = Entry(
    name="plasticity_activations",
    checks="preset plasticity, naive, seed 0: LA on the first / last 10 % of the 100 tasks and "
    "the monitors there (dormant units, tau-dormant 0, effective rank) for every activation",
    source=SOURCE,
    command=sh(
        f"forgetless compare preset=plasticity strategies=[naive] activations=[{ACTIVATIONS}]"
    ),
    values=_values(ACTIVATION_ROWS),
    reader="results",
    tolerance=MONITORED,
    seconds=60 * 60,
    quick=False,
)

PLASTICITY_INTERVENTIONS = Entry(
    name="plasticity_interventions",
    checks="preset plasticity, ReLU with naive / continual backprop / shrink & perturb / ReDo, "
    "seeds 0-2: LA on the first / last 10 % and the monitors there (mean and std)",
    source=SOURCE,
    command=sh("forgetless compare preset=plasticity seeds=[0,1,2]"),
    values=_values(INTERVENTION_ROWS),
    reader="results",
    tolerance=MONITORED,
    seconds=40 * 60,
    quick=False,
)

# The search's printed table, one row per setting (docs/plasticity.md, selection rule).
SEARCH_ROWS: tuple[tuple[str, float, float], ...] = (
    ("naive", 0.877, 0.812),
    ("continual_backprop rho=0.003 m=100 eta=0.99", 0.873, 0.851),
    ("continual_backprop rho=0.005 m=100 eta=0.99", 0.871, 0.856),
    ("continual_backprop rho=0.01 m=100 eta=0.99", 0.865, 0.853),
    ("continual_backprop rho=0.02 m=100 eta=0.99", 0.855, 0.836),
    ("continual_backprop rho=0.03 m=100 eta=0.99", 0.856, 0.836),
    ("continual_backprop rho=0.1 m=100 eta=0.99", 0.714, 0.765),
    ("continual_backprop rho=0.003 m=20 eta=0.99", 0.869, 0.848),
    ("continual_backprop rho=0.01 m=20 eta=0.99", 0.87, 0.84),
    ("continual_backprop rho=0.03 m=20 eta=0.99", 0.869, 0.842),
    ("continual_backprop rho=0.1 m=20 eta=0.99", 0.853, 0.819),
    ("continual_backprop rho=0.01 m=300 eta=0.99", 0.861, 0.838),
    ("continual_backprop rho=0.01 m=100 eta=0.9", 0.872, 0.827),
)

PLASTICITY_CBP_SEARCH = Entry(
    name="plasticity_cbp_search",
    checks="continual backprop's settings on the plasticity stream, scored on its validation "
    "split (ReLU, seed 0): LA on the first / last 10 % of the tasks",
    source=SOURCE,
    command=sh("python benchmarks/plasticity_cbp_search.py"),
    values=tuple(
        Value(f"{label}/val LA {tenth} 10 %", number)
        for label, first, last in SEARCH_ROWS
        for tenth, number in (("first", first), ("last", last))
    ),
    reader="table",
    tolerance=DIGITS_3,
    seconds=40 * 60,
    quick=False,
)

PLASTICITY_OVERHEAD = Entry(
    name="plasticity_overhead",
    checks="time inside the plasticity monitor, % of the monitored cell's wall time "
    "(20 tasks of preset plasticity, default interval)",
    source=SOURCE.replace("the-plasticity-stream-issue-25-item-4", "measured"),
    command=sh("python benchmarks/plasticity_overhead.py"),
    values=(Value("inside", 3.5, r"overhead inside = ([\d.]+) %"),),
    reader="pattern",
    tolerance=3.0,  # percentage points: a time share measured next to other jobs
    seconds=10 * 60,
    quick=False,
    timing=True,
)

PLASTICITY = (
    PLASTICITY_ACTIVATIONS,
    PLASTICITY_INTERVENTIONS,
    PLASTICITY_CBP_SEARCH,
    PLASTICITY_OVERHEAD,
)
