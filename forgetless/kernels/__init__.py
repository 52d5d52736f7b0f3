"""Fused Triton kernels under the activations, reached only through :mod:`.dispatch`.

One file per activation (``elephant``, ``learnable_elephant``, ``tempered_sigmoid``, ``ash``
with Hard ASH, ``apa`` with AGLU), each holding its forward and backward kernels, the
``torch.library`` ops (``forgetless::<name>`` and ``forgetless::<name>_backward``, registered
with ``triton_op`` + ``wrap_triton`` + ``register_autograd`` so ``torch.compile(fullgraph=True)``
traces them) and ``fused_<name>``, which takes exactly the reference's arguments and falls back
to the reference for anything the kernel does not support. Shared pieces: ``_math`` (safe
in-register formulas), ``_channels`` (per-channel layouts and deterministic parameter-gradient
reduction), ``_common`` (launch sizes, argument checks).

This package imports triton only when a fused function is first needed (or, on a machine with
a GPU, when :mod:`.dispatch` is imported); CPU users never need it.
"""
