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


def test_each_training_node_counts_one_model_and_others_none(caplog):
    """Every training node trains one model (also where models train together, see
    ``together.py``); with ``--only-missing-outputs`` a node whose outputs exist is not
    counted."""
    import logging

    from kedro.io import DataCatalog
    from kedro.pipeline import Pipeline, node

    from from_data_to_model.hooks import TrainingProgressHooks, trained_models

    def train(name: str) -> object:
        return node(lambda x: x, "x", f"{name}.training_metadata", name="train_model",
                    tags=["training"], namespace=name)  # fmt: skip

    first, second, kept = train("v.seed_1"), train("v.seed_2"), train("v.seed_3")
    other = node(lambda x: x, "x", "v.seed_4.training_metadata", name="scores", namespace="v")
    assert trained_models(first) == ["v.seed_1"] and trained_models(other) == []
    catalog = DataCatalog()
    catalog["v.seed_3.training_metadata"] = {"done": True}  # kept from an earlier run
    hooks = TrainingProgressHooks()
    pipeline = Pipeline([first, second, kept, other])
    hooks.before_pipeline_run(pipeline, {"only_missing_outputs": True}, catalog)
    with caplog.at_level(logging.INFO, logger="from_data_to_model.hooks"):
        for each in (first, other, second):
            hooks.before_node_run(each)
            hooks.after_node_run(each)
    lines = [r.getMessage() for r in caplog.records if r.name == "from_data_to_model.hooks"]
    assert lines[0] == "Training v.seed_1 (1 of 2)"
    assert lines[1].startswith("Progress: 1 of 2 models trained")
    assert lines[2] == "Training v.seed_2 (2 of 2)"
    assert lines[3].startswith("Progress: 2 of 2 models trained") and len(lines) == 4
