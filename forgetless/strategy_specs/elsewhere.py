"""Entries listed with the reason they cannot run in ``compare`` (``compare`` refuses them in
one line naming ``strategies``): another forgetless feature does it, or the strategy needs a
pretrained network or a model of its own."""

from __future__ import annotations

from forgetless.strategy_specs.spec import StrategySpec

ENTRIES = (
    StrategySpec(
        name="streaming_lda",
        avalanche_class="avalanche.training:StreamingLDA",
        paper="Lifelong Machine Learning with Deep Streaming Linear Discriminant Analysis",
        refusal="forgetless runs streaming LDA as a head on any model's features: use heads=[slda]",
    ),
    StrategySpec(
        name="ar1",
        avalanche_class="avalanche.training:AR1",
        paper="Latent Replay for Real-Time Continual Learning",
        refusal="AR1 trains its own MobileNetV1 pretrained on ImageNet (a download), not the "
        "grid's model",
    ),
    StrategySpec(
        name="expert_gate",
        avalanche_class="avalanche.training:ExpertGateStrategy",
        paper="Expert Gate: Lifelong Learning with a Network of Experts",
        refusal="Expert Gate trains AlexNet experts pretrained on ImageNet (a download), not the "
        "grid's model",
    ),
    StrategySpec(
        name="learning_to_prompt",
        avalanche_class="avalanche.training:LearningToPrompt",
        paper="Learning to Prompt for Continual Learning",
        refusal="L2P prompts a pretrained vision transformer (a timm download, 224x224 RGB "
        "inputs), not the grid's model",
    ),
    StrategySpec(
        name="scr",
        avalanche_class="avalanche.training:SCR",
        paper="Supervised Contrastive Replay: Revisiting the Nearest Class Mean Classifier in "
        "Online Class-Incremental Continual Learning",
        refusal="SCR needs an SCRModel (feature extractor, projection network, NCM classifier) "
        "and tensor augmentations; not wired to forgetless's models yet",
    ),
    StrategySpec(
        name="lamaml",
        avalanche_class="avalanche.training.supervised.lamaml_v2:LaMAML",
        paper="La-MAML: Look-ahead Meta Learning for Continual Learning",
        refusal="La-MAML learns a per-parameter learning rate with its own optimiser loop, "
        "which bypasses the grid's optimizer section; not wired yet",
    ),
)
