"""The study's Fashion-MNIST training as one plain script, without Kedro.

The baseline of ``study_benchmark.py``: it calls the project's own pure functions
(IDX reader, splits, scaling, training, test evaluation) in a loop, with the same
YAML, so the difference between the two runs is Kedro itself: start-up, catalog
I/O, persisted outputs, hooks, report and plots.

    python benchmarks/plain_keras_study.py PROJECT_ROOT OUTPUT_JSON
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from kedro.config import OmegaConfigLoader

from from_data_to_model import settings
from from_data_to_model.datasets.idx_dataset import IMAGES_MAGIC, LABELS_MAGIC, read_idx
from from_data_to_model.model_spec import ModelSpec, ModelSpecChanges
from from_data_to_model.pipelines.data_ingestion.nodes import prepare_fashion_mnist
from from_data_to_model.pipelines.data_processing.nodes import scale_features, split_data
from from_data_to_model.pipelines.modelling.nodes import Training, evaluate_model
from from_data_to_model.study import StudyShape


def main(root: Path, output: Path) -> None:
    start = time.perf_counter()
    loader = OmegaConfigLoader(str(root / "conf"), env="base", **settings.CONFIG_LOADER_ARGS)
    parameters = loader["parameters"]
    study, shape = parameters["regularization"], StudyShape.from_parameters(parameters)
    splits = parameters["processing"]["fashion_mnist"]
    raw = root / "data" / "01_raw" / "fashion-mnist"
    images, labels = prepare_fashion_mnist(
        {
            "images": read_idx(raw / "train-images-idx3-ubyte.gz", IMAGES_MAGIC),
            "labels": read_idx(raw / "train-labels-idx1-ubyte.gz", LABELS_MAGIC),
        },
        num_classes=10,
    )
    x_train, x_test, y_train, y_test = split_data(images, labels, splits["test_split"])
    x_train, x_test, _ = scale_features(x_train, x_test)
    x_train, x_val, y_train, y_val = split_data(x_train, y_train, splits["validation_split"])

    variants = {}
    defaults = ModelSpec.model_validate(study["defaults"])
    for run in shape.runs():
        changes = ModelSpecChanges.model_validate(study["variants"][run.variant])
        model, _, _, metadata = Training(run).train_model(
            x_train, y_train, x_val, y_val, defaults, changes
        )
        metrics = evaluate_model(model, metadata, x_test, y_test)
        name = run.namespace
        variants[name] = {
            "fit_seconds": metadata["fit_seconds"],
            "epochs_run": metadata["epochs_run"],
            "test_loss": metrics["test_loss"],
            "test_accuracy": metrics["test_accuracy"],
        }
        print(f"{name}: {variants[name]}", flush=True)
    output.write_text(
        json.dumps({"seconds_in_script": time.perf_counter() - start, "variants": variants})
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
