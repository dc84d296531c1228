"""The run's progress line: models done of the total, time so far, an estimate of the rest."""

from from_data_to_model.progress import ModelProgress, duration


def test_the_estimate_assumes_the_rest_take_the_mean_so_far():
    now = iter([0.0, 30.0, 90.0, 200.0])
    progress = ModelProgress(total=3, clock=lambda: next(now))
    lines = [progress.model_done() for _ in range(3)]
    assert lines == [
        "Progress: 1 of 3 models trained, 30s elapsed, about 1m 00s left",
        "Progress: 2 of 3 models trained, 1m 30s elapsed, about 45s left",
        "Progress: 3 of 3 models trained, 3m 20s elapsed",
    ]


def test_durations_read_as_a_person_would_say_them():
    assert [duration(s) for s in (0, 59.6, 61, 3600 + 125)] == ["0s", "1m 00s", "1m 01s", "1h 02m"]


def test_a_node_that_trains_several_models_counts_each_of_them(caplog):
    """A batch's node (several models' ``training_metadata``) counts as its models; a node
    that trains none, as none."""
    import logging

    from kedro.pipeline import Pipeline, node

    from from_data_to_model.hooks import TrainingProgressHooks, trained_models

    def identity(*values):
        return values

    batch = node(identity, "x", [f"v.seed_{s}.training_metadata" for s in (1, 2)] + ["v.n"],
                 name="train_models", tags=["training"], namespace="v")  # fmt: skip
    alone = node(lambda x: x, "x", "w.seed_1.training_metadata", name="one", tags=["training"],
                 namespace="w.seed_1")  # fmt: skip
    other = node(lambda x: x, "x", "v.seed_3.training_metadata", name="scores", namespace="v")
    assert trained_models(batch) == ["v.seed_1", "v.seed_2"] and trained_models(other) == []
    hooks = TrainingProgressHooks()
    hooks.before_pipeline_run(Pipeline([batch, alone, other]), {}, None)
    with caplog.at_level(logging.INFO, logger="from_data_to_model.hooks"):
        for each in (batch, other, alone):
            hooks.before_node_run(each)
            hooks.after_node_run(each)
    lines = [r.getMessage() for r in caplog.records if r.name == "from_data_to_model.hooks"]
    assert lines[0] == "Training 2 models of v (1-2 of 3)"
    assert lines[1].startswith("Progress: 2 of 3 models trained")
    assert lines[2] == "Training w.seed_1 (3 of 3)"
    assert lines[3].startswith("Progress: 3 of 3 models trained") and len(lines) == 4
