"""Differentially private training (DP-SGD through Opacus) for forgetless models.

Importing this package registers the Opacus grad samplers that the activation specs name
(:mod:`.grad_sampler_registration`; APA, AGLU: κ, λ; learnable elephant: log σ, log h). The core knows neither Avalanche nor Lightning; the
doors are :mod:`forgetless.avalanche.privacy_plugin`,
:mod:`forgetless.avalanche.private_strategy` and :mod:`forgetless.lightning.private_training`.
"""

from forgetless.privacy.accounting import (
    Phase,
    calibrate_noise_multiplier,
    epsilon_of,
    plan_stream,
    poisson_sample_rate,
)
from forgetless.privacy.dp_parts import attach_per_sample_gradients, dp_optimizer, poisson_loader
from forgetless.privacy.grad_sampler_apa import compute_apa_grad_sample
from forgetless.privacy.grad_sampler_learnable_elephant import (
    compute_learnable_elephant_grad_sample,
)
from forgetless.privacy.grad_sampler_registration import register_grad_samplers
from forgetless.privacy.ledger import PrivacyLedger
from forgetless.privacy.model_check import check_private_model, find_private_training_problems
from forgetless.privacy.papernot_cnn import PapernotCNN
from forgetless.privacy.settings import ACCOUNTANTS, PrivacySettings

register_grad_samplers()

__all__ = [
    "ACCOUNTANTS",
    "PapernotCNN",
    "Phase",
    "PrivacyLedger",
    "PrivacySettings",
    "attach_per_sample_gradients",
    "calibrate_noise_multiplier",
    "check_private_model",
    "compute_apa_grad_sample",
    "compute_learnable_elephant_grad_sample",
    "dp_optimizer",
    "epsilon_of",
    "find_private_training_problems",
    "plan_stream",
    "poisson_loader",
    "poisson_sample_rate",
    "register_grad_samplers",
]
