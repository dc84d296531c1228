"""The study's Fashion-MNIST training as one plain Keras script, without Kedro.

The baseline of ``study_benchmark.py``: same raw files, splits, scaling, models
(built by the project's own Keras builder from the same YAML), epochs, batch sizes,
callbacks and test evaluation; no catalog, no runner, no persisted outputs.

    python benchmarks/plain_keras_study.py PROJECT_ROOT OUTPUT_JSON
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path

import keras
import numpy as np
import yaml
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from from_data_to_model.models import build_model, resolve_model_spec


def read_idx(path: Path) -> np.ndarray:
    raw = gzip.decompress(path.read_bytes())
    ndim = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def main(root: Path, output: Path) -> None:
    start = time.perf_counter()
    conf = root / "conf" / "base"
    study = yaml.safe_load((conf / "parameters_regularization.yml").read_text())["regularization"]
    splits = yaml.safe_load((conf / "parameters_data_processing.yml").read_text())
    splits = splits["processing"]["fashion_mnist"]
    raw = root / "data" / "01_raw" / "fashion-mnist"
    images = read_idx(raw / "train-images-idx3-ubyte.gz").reshape(60000, -1)
    labels = np.eye(10, dtype=np.float32)[read_idx(raw / "train-labels-idx1-ubyte.gz")]
    x_train, x_test, y_train, y_test = train_test_split(images, labels, **splits["test_split"])
    scaler = StandardScaler().fit(x_train.astype(np.float32))
    x_train = scaler.transform(x_train.astype(np.float32))
    x_test = scaler.transform(x_test.astype(np.float32))
    x_train, x_val, y_train, y_val = train_test_split(
        x_train, y_train, **splits["validation_split"]
    )

    variants = {}
    for name, overrides in study["variants"].items():
        spec = resolve_model_spec(study["defaults"], overrides, name)
        keras.utils.set_random_seed(spec["seed"])
        model = build_model(spec, x_train.shape[1])
        early = spec["early_stopping"]
        callbacks = (
            [keras.callbacks.EarlyStopping(early["monitor"], patience=early["patience"],
                                           restore_best_weights=early["restore_best_weights"])]
            if early["enabled"]
            else []
        )  # fmt: skip
        fit_start = time.perf_counter()
        history = model.fit(
            x_train, y_train, validation_data=(x_val, y_val), epochs=spec["epochs"],
            batch_size=spec["batch_size"], callbacks=callbacks, verbose=0,
        )  # fmt: skip
        fit_seconds = time.perf_counter() - fit_start
        loss, accuracy = model.evaluate(x_test, y_test, batch_size=4096, verbose=0)
        variants[name] = {
            "fit_seconds": fit_seconds,
            "epochs_run": len(history.history["loss"]),
            "test_loss": float(loss),
            "test_accuracy": float(accuracy),
        }
        print(f"{name}: {variants[name]}", flush=True)
    output.write_text(
        json.dumps({"seconds_in_script": time.perf_counter() - start, "variants": variants})
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
