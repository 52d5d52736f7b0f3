"""Kernel tests run the Triton kernels on CPU tensors through Triton's interpreter.

CI runs this folder as its own invocation with ``TRITON_INTERPRET=1``; the default below makes
a plain ``pytest tests/kernels`` do the same, on a GPU machine too (the tests hand CPU tensors
to the kernel launchers). It must be set before the kernel modules are imported, which happens
when the test files are collected. GPU checks live in ``benchmarks/kernels.py --check``.
"""

import os

os.environ.setdefault("TRITON_INTERPRET", "1")
