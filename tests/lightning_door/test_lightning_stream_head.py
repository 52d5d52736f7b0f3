import pytest
import torch
from lightning_helpers import QUIET, LitClassifier, tiny_scenario

from forgetless.lightning.continual_loop import continual_trainer, fit_continual
from forgetless.lightning.stream_head_callback import StreamHeadCallback


@pytest.mark.parametrize("head", ["slda", "ncm"])
def test_head_reads_one_pass_per_experience_and_scores_the_run(head):
    scenario = tiny_scenario(T=2)
    torch.manual_seed(0)
    callback = StreamHeadCallback(head, features="net.2", shrinkage=0.1)
    trainer = continual_trainer(
        scenario, epochs_per_experience=2, callbacks=[callback], logger=False, **QUIET
    )
    metrics = fit_continual(
        trainer, LitClassifier(), scenario, batch_size=8, epochs_per_experience=2
    )
    counts = callback.model.head.counts
    seen = torch.cat([d.targets for d in scenario.train])
    assert torch.equal(counts, torch.bincount(seen, minlength=10))  # one pass, not two
    R = metrics.matrix
    assert R[0, 1] == 0.0  # classes 2, 3 unseen after experience 1: never predicted
    assert R[0, 0] > 0.9 and R[1].min() > 0.5  # the head keeps the old classes' means


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="head must be one of"):
        StreamHeadCallback("lda")
    scenario = tiny_scenario(T=2)
    trainer = continual_trainer(
        scenario, callbacks=[StreamHeadCallback(features="nope")], logger=False, **QUIET
    )
    with pytest.raises(ValueError, match="features='nope' is not a submodule"):
        fit_continual(trainer, LitClassifier(), scenario, batch_size=8)
