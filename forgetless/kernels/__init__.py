"""Fused Triton kernels under the activations, reached only through :mod:`.dispatch`.

One file per activation (``elephant``, ``learnable_elephant``, ``tempered_sigmoid``, ``ash``
with Hard ASH, ``apa`` with AGLU), each holding its forward and backward kernels, the
``torch.library`` ops (``forgetless::<name>`` and ``forgetless::<name>_backward``, registered
with ``triton_op`` + ``wrap_triton`` + ``register_autograd`` so ``torch.compile(fullgraph=True)``
traces them) and ``fused_<name>``, which takes the reference followed by exactly the reference's
arguments and runs that reference for anything the kernel does not support. The kernels never
import the activation modules: the activation registry names each file's ``fused_<name>`` in
:mod:`.dispatch` from the activation's spec, and the file maps one to one onto the activation
file of the same name. Shared pieces: ``_launch`` (launching kernels, registering ops),
``_math`` (safe in-register formulas), ``_channels`` (per-channel layouts, their launchers and
deterministic parameter-gradient reduction); which arguments the kernels support is read with
:mod:`forgetless.checks`.

This package imports triton only when a fused function is first needed (or, on a machine with
a GPU, when :mod:`forgetless.activations` is imported and its registry preloads the kernels);
CPU users never need it.
"""
