"""Run by test_compile_tracing.py in a fresh process WITHOUT ``TRITON_INTERPRET``.

Traces a function that uses every public activation functional with
``torch.compile(fullgraph=True)`` through AOT autograd, on CPU: the dispatch decision is forced
to "fused", Triton is shown a (fake) sm_90 target so torch can analyse the kernels, and the
compiled graphs are captured, never run (there is no GPU). Prints, as JSON, how many Triton
kernel nodes the forward and backward graphs hold.
"""

import json

import torch
import triton
from functorch.compile import make_boxed_func
from torch._dynamo.backends.common import aot_autograd
from triton.backends.compiler import GPUTarget

import forgetless.kernels.dispatch as dispatch_module


class _Sm90Target:
    def get_current_target(self):
        return GPUTarget("cuda", 90, 32)


triton.runtime.driver.set_active(_Sm90Target())
dispatch_module.can_fuse = lambda *tensors: True  # as on a GPU

from forgetless.activations.apa import aglu, apa  # noqa: E402
from forgetless.activations.ash import ash, hard_ash  # noqa: E402
from forgetless.activations.elephant import elephant  # noqa: E402
from forgetless.activations.learnable_elephant import learnable_elephant  # noqa: E402
from forgetless.activations.tempered_sigmoid import tempered_sigmoid  # noqa: E402

dispatch_module.preload()  # what the registry does on import when CUDA is available

graphs = []


def _capture(gm, example_inputs):
    graphs.append(gm)
    output = next(n for n in gm.graph.nodes if n.op == "output")
    shapes = [None if a is None else a.meta["val"] for a in output.args[0]]

    def run(*args):
        return [None if v is None else torch.zeros(v.shape, dtype=v.dtype) for v in shapes]

    return make_boxed_func(run)


def every_activation(x, kappa, lam, log_sigma, log_h, maps, kappa_maps, lam_maps, long_rows):
    x = learnable_elephant(x, log_sigma, log_h, 4.0, 1)
    x = aglu(x, kappa, lam, 1)
    x = ash(x, 3.0, 2.3, None)
    x = tempered_sigmoid(x, 2.0, 2.0, 1.0)
    x = hard_ash(x, 3.0, 2.3, None)
    x = x * apa(x, kappa, lam, 1)
    x = elephant(x, 1.0, 4.0)
    # Conv-like maps (inner = 600 >= 512): the per-row tilings of the parameter kernels.
    maps = learnable_elephant(maps, kappa_maps, lam_maps, 4.0, 1)
    maps = aglu(maps, kappa_maps, lam_maps, 1)
    # Rows longer than the on-chip limit: the chunked ASH kernels.
    long_rows = hard_ash(long_rows, 3.0, 2.3, None)
    # A layout the kernels leave to the reference (statistics over a middle dim): the fused
    # function's fallback must trace too (no kernel in the graph for it).
    maps = ash(maps, 3.0, 2.3, (1,))
    return x.sum() + maps.sum() + long_rows.sum()


compiled = torch.compile(
    every_activation,
    backend=aot_autograd(fw_compiler=_capture, bw_compiler=_capture),
    fullgraph=True,
)
inputs = [torch.randn(8, 16, requires_grad=True)]
inputs += [torch.ones(16, requires_grad=True) for _ in range(4)]
inputs += [torch.randn(1, 2, 600, requires_grad=True)]
inputs += [torch.ones(2, requires_grad=True) for _ in range(2)]
inputs += [torch.randn(2, 16500, requires_grad=True)]
compiled(*inputs).backward()
counts = [sum("triton_kernel_wrapper" in str(n.target) for n in g.graph.nodes) for g in graphs]
print(json.dumps({"graphs": len(graphs), "triton_kernels": counts}))
