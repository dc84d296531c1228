"""Models trained together (``batched.fit_models``) are each the model ``fit_model`` trains
alone: the same history, weights, stopping epoch and optimizer state, to float tolerance.

The batched program is JAX's, and the suite runs on TensorFlow: the comparisons run in
one JAX process (``COMPARE``), where TensorFlow cannot be imported (Keras seeds
TensorFlow too where it can: 5 s to import it), whose findings the tests below read.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import pytest

from from_data_to_model import batched
from tests.processes import NO_TENSORFLOW
from tests.specs import DEFAULTS

JAX_ABSENT = importlib.util.find_spec("jax") is None
needs_jax = pytest.mark.skipif(
    JAX_ABSENT, reason="JAX ABSENT: install the [jax] extra (make test does)"
)
TOLERANCE = 1e-5

# The models compared, trained alone and together (``fit_groups``): three in one program,
# differing in seed, L1/L2, epochs and early stopping (one stops early); two of other shapes
# (no dropout; two dropout layers and early stopping), each alone in a program of its own.
SMALL = {"hidden": {"units": [16], "l1": 1e-3, "l2": 1e-3}, "optimizer": {"learning_rate": 0.01},
         "epochs": 12, "batch_size": 64, "train_loss_rows": 300,
         "early_stopping": {"patience": 2}}  # fmt: skip
CASES = [
    {"seed": 7, "dropout": {"layers": 1}, "early_stopping": {"enabled": True, "patience": 1}},
    {"seed": 8, "dropout": {"layers": 1}, "hidden": {"l1": 0.0, "l2": 0.0}},
    {"seed": 9, "dropout": {"layers": 1}, "hidden": {"l2": 0.0}, "epochs": 5},
    {"seed": 10, "hidden": {"units": [8]}},
    {"seed": 7, "dropout": {"layers": 2}, "early_stopping": {"enabled": True}},
]
TOGETHER, ALONE = [0, 1, 2], {"plain": 3, "2 dropout+ES": 4}

COMPARE = NO_TENSORFLOW + textwrap.dedent(
    """
    import json
    import numpy as np
    from from_data_to_model import batched, models
    from from_data_to_model.model_spec import ModelSpec

    cases = json.loads(sys.argv[1])
    rng = np.random.default_rng(0)
    def data(rows):
        x = rng.normal(size=(rows, 20)).astype("float32")
        return x, np.eye(10, dtype="float32")[rng.integers(0, 10, rows)]
    X, y, X_val, y_val = *data(700), *data(130)

    def compare(alone, batch):
        (model, history, fit), (b_model, b_history, b_fit) = alone, batch
        return {
            "keys": [list(history), list(b_history)],
            "epochs": [len(history["loss"]), len(b_history["loss"])],
            "model_epoch": [fit["model_epoch"], b_fit["model_epoch"]],
            "history": max(float(np.max(np.abs(np.subtract(history[k], b_history[k]))))
                           for k in history if len(history[k]) == len(b_history[k])),
            "weights": max(float(np.max(np.abs(a - b)))
                           for a, b in zip(model.get_weights(), b_model.get_weights())),
            "optimizer": max(float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) for a, b in
                             zip(model.optimizer.variables, b_model.optimizer.variables)),
            "predictions": float(np.max(np.abs(model.predict(X_val, verbose=0)
                                               - b_model.predict(X_val, verbose=0)))),
        }

    specs = [ModelSpec.model_validate(spec) for spec in cases]
    alone = [models.fit_model(spec, X, y, X_val, y_val) for spec in specs]
    finished = []
    batches = batched.fit_groups(specs, X, y, X_val, y_val, on_done=finished.append)
    found = {"models": [compare(a, b) for a, b in zip(alone, batches)], "finished": finished,
             "refused": batched.batchable([specs[0], specs[3]])}
    assert not any(m.split(".")[0] == "tensorflow" for m in sys.modules)
    print(json.dumps(found))
    """
)


def spec(changes: dict) -> dict:
    merged = DEFAULTS.model_dump()
    for part in (SMALL, changes):
        for key, value in part.items():
            merged[key] = merged[key] | value if isinstance(value, dict) else value
    return merged


@pytest.fixture(scope="module")
def compared() -> dict:
    cases = [spec(changes) for changes in CASES]
    env = os.environ | {"KERAS_BACKEND": "jax"}
    done = subprocess.run(
        [sys.executable, "-c", COMPARE, json.dumps(cases)],
        capture_output=True, text=True, env=env, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_same(found: dict) -> None:
    assert found["keys"][0] == found["keys"][1]
    assert found["epochs"][0] == found["epochs"][1]
    assert found["model_epoch"][0] == found["model_epoch"][1]
    for part in ("history", "weights", "optimizer", "predictions"):
        assert found[part] < TOLERANCE, (part, found[part])


@needs_jax
@pytest.mark.slow
@pytest.mark.parametrize("case", ALONE.values(), ids=ALONE.keys())
def test_one_model_in_a_batch_is_the_model_trained_alone(compared, case):
    assert_same(compared["models"][case])


@needs_jax
@pytest.mark.slow
def test_models_trained_together_are_each_the_model_trained_alone(compared):
    together = [compared["models"][k] for k in TOGETHER]
    for found in together:
        assert_same(found)
    # They did differ: one stopped early, one ran its 5 epochs, one its 12.
    assert [found["epochs"][0] for found in together][1:] == [12, 5]
    assert together[0]["epochs"][0] < 12
    assert together[0]["model_epoch"][0] < together[0]["epochs"][0]  # best weights restored


@needs_jax
@pytest.mark.slow
def test_each_model_is_reported_done_as_it_finishes(compared):
    epochs = {k: compared["models"][k]["epochs"][0] for k in TOGETHER}
    first_program = sorted(TOGETHER, key=epochs.get)
    assert compared["finished"] == [*first_program, *ALONE.values()]


@needs_jax
@pytest.mark.slow
def test_models_of_other_shapes_are_refused(compared):
    assert "differ in more than seed" in compared["refused"]


def test_batched_training_needs_the_jax_backend():
    import keras

    if keras.backend.backend() == "jax":
        pytest.skip("this process runs on JAX")
    problem = batched.batchable([DEFAULTS])
    assert problem == f"batched training needs the JAX backend (this is {keras.backend.backend()})"


def test_shape_key_ignores_what_each_model_keeps_for_itself():
    def changed(part: str, **fields):
        return getattr(DEFAULTS, part).model_copy(update=fields)

    own = DEFAULTS.model_copy(
        update={"seed": 1, "epochs": 3, "hidden": changed("hidden", l2=0.5),
                "early_stopping": changed("early_stopping", enabled=True)}
    )  # fmt: skip
    assert batched.shape_key(own) == batched.shape_key(DEFAULTS)
    for field, value in (("units", [3]), ("activation", "tanh")):
        other = DEFAULTS.model_copy(update={"hidden": changed("hidden", **{field: value})})
        assert batched.shape_key(other) != batched.shape_key(DEFAULTS), field


def test_a_program_too_large_for_memory_stops_before_training_and_says_what_to_set():
    import numpy as np

    X_train, X_val = np.zeros((50000, 784), np.float32), np.zeros((10000, 784), np.float32)
    specs = [DEFAULTS.model_copy(update={"seed": s}) for s in range(10)]
    one = batched.memory_needed(specs[:1], X_train, X_val)
    ten = batched.memory_needed(specs, X_train, X_val)
    data = X_train.nbytes + X_val.nbytes
    assert ten - data == 10 * (one - data)  # each model's share, the data once
    batched.check_memory(specs, X_train, X_val, available=ten)  # fits: no error
    with pytest.raises(batched.ProgramTooLargeError) as excinfo:
        batched.check_memory(specs, X_train, X_val, available=data + 3 * (one - data) + 1)
    message = str(excinfo.value)
    assert "these 10 models" in message and "Nothing was trained" in message
    assert "--params training.max_batch_models=3" in message
    assert "training.batch_models=off" in message
