"""docs/plasticity.md, "The plasticity stream" (issue 25): ``preset=plasticity`` per activation
and per intervention, with the monitors at the first and last tenth of the stream, and the
validation search of continual backprop's settings."""

from __future__ import annotations

from forgetless.app.reproduce.entries.common import DIGITS_3, sh
from forgetless.app.reproduce.entry import Entry, Value, row_values

#: LA and the dormant fractions are printed with three decimals, the effective ranks with two.
MONITORED = 0.005
ACTIVATIONS = (
    "relu,elu,hard_ash,hardswish,identity,learnable_elephant,mish,selu,silu,softplus,"
    "tempered_sigmoid,aglu,apa,ash,celu,elephant,gelu,leaky_relu,relu6,sigmoid,tanh"
)
SOURCE = "docs/plasticity.md#the-plasticity-stream-issue-25-item-4"

#: Each row's LA and monitors at the first and last tenth (keys of a results row).
MONITORS = (
    "la_first_tenth",
    "la_last_tenth",
    "dormant_units_first_tenth",
    "dormant_units_last_tenth",
    "tau_dormant_0_first_tenth",
    "tau_dormant_0_last_tenth",
    "effective_rank_first_tenth",
    "effective_rank_last_tenth",
)
#: The same with the std over seeds after each value.
MONITORS_STD = tuple(key for column in MONITORS for key in (column, f"{column}_std"))
#: The mean weight magnitude at the first and last tenth (every linear layer).
WEIGHTS = ("weight_magnitude_first_tenth", "weight_magnitude_last_tenth")
WEIGHTS_STD = tuple(key for column in WEIGHTS for key in (column, f"{column}_std"))

ACTIVATION_VALUES = (
    *row_values(MONITORS[:2], [("identity", "naive", 0.825, 0.815)]),  # no activation module
    *row_values(
        MONITORS,
        [
            ("hard_ash", "naive", 0.873, 0.857, 0.065, 0.091, 0.022, 0.043, 40.31, 44.03),
            ("ash", "naive", 0.874, 0.858, 0.136, 0.064, 0.0, 0.0, 35.65, 44.0),
            ("learnable_elephant", "naive", 0.879, 0.85, 0.005, 0.001, 0.0, 0.0, 52.17, 45.67),
            ("apa", "naive", 0.874, 0.838, 0.002, 0.0, 0.0, 0.0, 48.3, 48.08),
            ("aglu", "naive", 0.88, 0.834, 0.0, 0.001, 0.0, 0.0, 45.25, 36.65),
            ("leaky_relu", "naive", 0.871, 0.823, 0.0, 0.0, 0.0, 0.0, 38.74, 40.29),
            ("elephant", "naive", 0.873, 0.816, 0.007, 0.0, 0.0, 0.0, 52.19, 58.47),
            ("selu", "naive", 0.873, 0.814, 0.004, 0.215, 0.0, 0.0, 50.02, 45.33),
            ("celu", "naive", 0.878, 0.818, 0.003, 0.313, 0.0, 0.0, 47.58, 39.65),
            ("elu", "naive", 0.878, 0.818, 0.003, 0.313, 0.0, 0.0, 47.58, 39.65),
            ("relu", "naive", 0.871, 0.803, 0.239, 0.453, 0.152, 0.428, 35.8, 33.42),
            ("sigmoid", "naive", 0.861, 0.788, 0.007, 0.132, 0.0, 0.0, 33.21, 43.23),
            ("tanh", "naive", 0.857, 0.783, 0.022, 0.0, 0.0, 0.0, 54.71, 78.25),
            ("tempered_sigmoid", "naive", 0.857, 0.783, 0.022, 0.0, 0.0, 0.0, 54.71, 78.25),
            ("mish", "naive", 0.875, 0.797, 0.002, 0.434, 0.0, 0.0, 42.87, 32.85),
            ("hardswish", "naive", 0.867, 0.779, 0.018, 0.45, 0.003, 0.414, 42.99, 32.62),
            ("softplus", "naive", 0.876, 0.786, 0.002, 0.433, 0.0, 0.0, 37.51, 32.89),
            ("silu", "naive", 0.876, 0.75, 0.001, 0.417, 0.0, 0.0, 42.08, 33.51),
            ("gelu", "naive", 0.875, 0.723, 0.031, 0.446, 0.002, 0.375, 39.88, 32.87),
            ("relu6", "naive", 0.865, 0.398, 0.246, 0.484, 0.163, 0.458, 40.17, 35.59),
        ],
    ),
    *row_values(
        WEIGHTS,
        [
            ("relu", "naive", 0.07, 0.165),
            ("elu", "naive", 0.062, 0.168),
            ("hard_ash", "naive", 0.088, 0.304),
            ("hardswish", "naive", 0.067, 0.168),
            ("identity", "naive", 0.043, 0.08),
            ("learnable_elephant", "naive", 0.096, 0.272),
            ("mish", "naive", 0.067, 0.171),
            ("selu", "naive", 0.056, 0.164),
            ("silu", "naive", 0.068, 0.176),
            ("softplus", "naive", 0.069, 0.177),
            ("tempered_sigmoid", "naive", 0.081, 0.218),
            ("aglu", "naive", 0.068, 0.225),
            ("apa", "naive", 0.086, 0.262),
            ("ash", "naive", 0.088, 0.312),
            ("celu", "naive", 0.062, 0.168),
            ("elephant", "naive", 0.105, 0.298),
            ("gelu", "naive", 0.068, 0.163),
            ("leaky_relu", "naive", 0.07, 0.228),
            ("relu6", "naive", 0.074, 0.183),
            ("sigmoid", "naive", 0.132, 0.335),
            ("tanh", "naive", 0.081, 0.218),
        ],
    ),
)

INTERVENTION_VALUES = row_values(
    MONITORS_STD,
    [
        (
            "relu",
            "naive",
            0.872,
            0.003,
            0.779,
            0.041,
            0.22,
            0.016,
            0.456,
            0.004,
            0.13,
            0.024,
            0.431,
            0.006,
            36.83,
            0.91,
            32.39,
            1.07,
        ),
        (
            "relu",
            "continual_backprop",
            0.861,
            0.011,
            0.867,
            0.001,
            0.235,
            0.006,
            0.25,
            0.015,
            0.163,
            0.009,
            0.174,
            0.005,
            27.15,
            0.34,
            28.4,
            0.64,
        ),
        (
            "relu",
            "shrink_perturb",
            0.864,
            0.005,
            0.865,
            0.004,
            0.16,
            0.02,
            0.123,
            0.014,
            0.125,
            0.017,
            0.081,
            0.012,
            30.84,
            0.86,
            29.38,
            0.7,
        ),
        (
            "relu",
            "redo",
            0.874,
            0.001,
            0.777,
            0.016,
            0.252,
            0.021,
            0.432,
            0.014,
            0.173,
            0.023,
            0.39,
            0.015,
            35.58,
            0.85,
            32.93,
            0.7,
        ),
    ],
) + row_values(
    WEIGHTS_STD,
    [
        ("relu", "naive", 0.07, 0.0, 0.166, 0.003),
        ("relu", "continual_backprop", 0.037, 0.0, 0.042, 0.0),
        ("relu", "shrink_perturb", 0.033, 0.001, 0.031, 0.001),
        ("relu", "redo", 0.07, 0.0, 0.147, 0.003),
    ],
)

PLASTICITY_ACTIVATIONS = Entry(
    name="plasticity_activations",
    checks="preset plasticity, naive, seed 0: LA on the first / last 10 % of the 100 tasks and "
    "the monitors there (dormant units, tau-dormant 0, effective rank, weight magnitude) for every "
    "activation",
    source=SOURCE,
    command=sh(
        f"forgetless compare preset=plasticity strategies=[naive] activations=[{ACTIVATIONS}]"
    ),
    values=ACTIVATION_VALUES,
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
    values=INTERVENTION_VALUES,
    reader="results",
    tolerance=MONITORED,
    seconds=40 * 60,
    quick=False,
)

# The search's printed table, one row per setting (docs/plasticity.md, selection rule).
SEARCH_ROWS: tuple[tuple[str, float, float], ...] = (
    ("naive", 0.877, 0.812),
    ("continual_backprop rho=0.003 m=100 eta=0.99 steps=tensor", 0.873, 0.851),
    ("continual_backprop rho=0.005 m=100 eta=0.99 steps=tensor", 0.871, 0.856),
    ("continual_backprop rho=0.01 m=100 eta=0.99 steps=tensor", 0.865, 0.853),
    ("continual_backprop rho=0.02 m=100 eta=0.99 steps=tensor", 0.855, 0.836),
    ("continual_backprop rho=0.03 m=100 eta=0.99 steps=tensor", 0.856, 0.836),
    ("continual_backprop rho=0.1 m=100 eta=0.99 steps=tensor", 0.714, 0.765),
    ("continual_backprop rho=0.003 m=20 eta=0.99 steps=tensor", 0.869, 0.848),
    ("continual_backprop rho=0.01 m=20 eta=0.99 steps=tensor", 0.87, 0.84),
    ("continual_backprop rho=0.03 m=20 eta=0.99 steps=tensor", 0.869, 0.842),
    ("continual_backprop rho=0.1 m=20 eta=0.99 steps=tensor", 0.853, 0.819),
    ("continual_backprop rho=0.01 m=300 eta=0.99 steps=tensor", 0.861, 0.838),
    ("continual_backprop rho=0.01 m=100 eta=0.9 steps=tensor", 0.872, 0.827),
    ("continual_backprop rho=0.003 m=100 eta=0.99 steps=entry", 0.877, 0.864),
    ("continual_backprop rho=0.005 m=100 eta=0.99 steps=entry", 0.873, 0.867),
    ("continual_backprop rho=0.01 m=100 eta=0.99 steps=entry", 0.873, 0.871),
    ("continual_backprop rho=0.02 m=100 eta=0.99 steps=entry", 0.864, 0.873),
    ("continual_backprop rho=0.01 m=20 eta=0.99 steps=entry", 0.876, 0.864),
    ("continual_backprop rho=0.03 m=100 eta=0.99 steps=entry", 0.854, 0.863),
    ("continual_backprop rho=0.05 m=100 eta=0.99 steps=entry", 0.777, 0.852),
)

PLASTICITY_CBP_SEARCH = Entry(
    name="plasticity_cbp_search",
    checks="continual backprop's settings on the plasticity stream, scored on its validation "
    "split (ReLU, seed 0): LA on the first / last 10 % of the tasks",
    source=SOURCE,
    command=sh("python benchmarks/plasticity_cbp_search.py"),
    values=row_values(("val LA first 10 %", "val LA last 10 %"), SEARCH_ROWS, labels=1),
    reader="table",
    tolerance=DIGITS_3,
    seconds=65 * 60,
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
