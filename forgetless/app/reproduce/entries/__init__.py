"""Every documented result as an :class:`~forgetless.app.reproduce.entry.Entry`: the one place
the docs' numbers come from (docs/reproduce.md: how they are recorded, checked and added). One
file per part of the docs; a new entry goes in its part's file and into :data:`ENTRIES`.

Accuracies on fixed seeds are deterministic on CPU, so their tolerance is one unit of the last
digit the docs print; time ratios get a wide one. ``seconds`` is the wall time measured on 2
shared CPU cores with one torch thread, or, for entries not run here, the documented time (an
estimate where none is documented: docs/reproduce.md says which).
"""

from __future__ import annotations

from forgetless.app.reproduce.entries.comparisons import (
    DEFAULT_TABLE,
    HARD_ASH_RECIPE,
    RULES_PRESET,
)
from forgetless.app.reproduce.entries.findings import (
    ONE_PASS_ASH,
    ONE_PASS_ASH_STREAMING,
    THRESHOLD_SWEEP,
    WIDTH_RATE_SWEEP,
)
from forgetless.app.reproduce.entries.lightning import LIGHTNING_DEFAULTS, LIGHTNING_EXAMPLE
from forgetless.app.reproduce.entries.metrics import TASK_INCREMENTAL
from forgetless.app.reproduce.entries.one_pass import (
    ONE_PASS_BEST,
    ONE_PASS_BEST_EMBEDDED,
    ONE_PASS_BEST_EMBEDDED_REFERENCES,
    ONE_PASS_BEST_REFERENCES,
    ONE_PASS_BEST_STREAMING,
)
from forgetless.app.reproduce.entries.plasticity import PLASTICITY
from forgetless.app.reproduce.entries.privacy import PRIVACY
from forgetless.app.reproduce.entries.recipes import (
    RULES_ACTIVATIONS,
    RULES_FF_ACTIVATIONS,
    RULES_FF_DEFAULT_PRESET,
)
from forgetless.app.reproduce.entries.reference_points import (
    BASELINES,
    BASELINES_JOINT_STREAM,
    BASELINES_ORDER,
    BASELINES_REFERENCE_HEADS,
    HEADS_ANCHORS_FASHION,
    HEADS_ANCHORS_MNIST,
    HEADS_REFERENCE_ROWS,
    REFERENCE_SLDA_CONV,
)
from forgetless.app.reproduce.entries.rules import RULES_CONTINUAL, RULES_IID
from forgetless.app.reproduce.entries.timing import LAUNCHERS, OVERHEAD
from forgetless.app.reproduce.entry import Entry

ENTRIES: tuple[Entry, ...] = (
    DEFAULT_TABLE,
    BASELINES,
    RULES_PRESET,
    ONE_PASS_BEST_EMBEDDED,
    LIGHTNING_EXAMPLE,
    *LIGHTNING_DEFAULTS,
    HEADS_ANCHORS_MNIST,
    HEADS_REFERENCE_ROWS,
    BASELINES_REFERENCE_HEADS,
    BASELINES_JOINT_STREAM,
    REFERENCE_SLDA_CONV,
    *TASK_INCREMENTAL,
    OVERHEAD,
    HARD_ASH_RECIPE,
    ONE_PASS_BEST,
    ONE_PASS_BEST_STREAMING,
    ONE_PASS_BEST_REFERENCES,
    ONE_PASS_BEST_EMBEDDED_REFERENCES,
    HEADS_ANCHORS_FASHION,
    RULES_ACTIVATIONS,
    RULES_FF_ACTIVATIONS,
    RULES_FF_DEFAULT_PRESET,
    *BASELINES_ORDER,
    RULES_CONTINUAL,
    *RULES_IID,
    *PRIVACY,
    LAUNCHERS,
    WIDTH_RATE_SWEEP,
    THRESHOLD_SWEEP,
    ONE_PASS_ASH,
    ONE_PASS_ASH_STREAMING,
    *PLASTICITY,
)
