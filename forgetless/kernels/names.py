"""The names of forgetless's own activations, each declared here and nowhere else.

One constant per activation serves as its registry name
(:func:`forgetless.activations.get_activation`), as the first argument of the public
functional's :func:`~forgetless.kernels.dispatch.dispatch` call (and the owner in its error
messages), as the key of the fused-kernel table in :mod:`.dispatch` and as the stem of its
``torch.library`` ops (``forgetless::<name>``, ``forgetless::<name>_backward``). The constants
live in the kernels package because the kernels must never import the activation modules, while
the activations import this package anyway (for ``dispatch``); this module imports nothing.
"""

ELEPHANT = "elephant"
LEARNABLE_ELEPHANT = "learnable_elephant"
TEMPERED_SIGMOID = "tempered_sigmoid"
ASH = "ash"
HARD_ASH = "hard_ash"
APA = "apa"
AGLU = "aglu"
