"""Kernel tests run the Triton kernels on CPU tensors through Triton's interpreter.

CI runs this folder as its own invocation with ``TRITON_INTERPRET=1``; the default below makes a
plain ``pytest tests/kernels`` on a machine without a GPU do the same (it must be set before the
kernel modules are imported, which happens at collection of the test files).
"""

import os

import torch

if not torch.cuda.is_available():
    os.environ.setdefault("TRITON_INTERPRET", "1")
