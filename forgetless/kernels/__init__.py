"""Fused Triton kernels under the activations, reached only through :mod:`.dispatch`."""
