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
