"""The promoted model as one MLflow model to serve (the ``[mlflow]`` extra).

``PromotedModel`` wraps a study's promoted Keras model (its scaler inside) as an MLflow
``pyfunc``: raw inputs in (784 pixels 0-255 per image; eight features per house), the
predictions table of ``kedro run --pipeline=predict`` out. It checks what it is sent, so a
malformed request gets a 400 with a message instead of a prediction. ``tracking.py`` logs
and registers it whenever a model is promoted.
"""

from __future__ import annotations

import json
from typing import Any

import mlflow
import numpy as np
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

from from_data_to_model.promotion import Promotion


def bad_request(message: str) -> MlflowException:
    """An error MLflow's scoring server answers with HTTP 400 and this message."""
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


class PromotedModel(mlflow.pyfunc.PythonModel):
    """A promoted model and its promotion record, served: rows of raw inputs in."""

    def load_context(self, context: Any) -> None:
        import keras

        import from_data_to_model.ensemble  # noqa: F401 (registers the final model's layer)

        self.model = keras.saving.load_model(context.artifacts["model"])
        with open(context.artifacts["promotion"]) as record:
            self.promotion = Promotion.model_validate(json.load(record))

    def _rows(self, model_input: Any) -> np.ndarray:
        """The request as float32 rows, checked: width, numbers, range."""
        rows = np.asarray(
            model_input.to_numpy() if isinstance(model_input, pd.DataFrame) else model_input
        )
        inputs = self.promotion.inputs
        if rows.ndim != 2 or rows.shape[1] != inputs.width:
            raise bad_request(
                f"Each row must hold {inputs.width} values ({inputs.layout}); got an array of "
                f"shape {list(rows.shape)}."
            )
        try:
            rows = rows.astype(np.float32)
        except (TypeError, ValueError):
            raise bad_request("Every value must be a number.") from None
        if not np.isfinite(rows).all():
            raise bad_request("Every value must be a finite number (no NaN, no infinity).")
        if inputs.range is not None:
            low, high = inputs.range
            if rows.min() < low or rows.max() > high:
                raise bad_request(
                    f"Pixel values must lie in [{low:g}, {high:g}]; got {rows.min():g} to "
                    f"{rows.max():g}. Send raw pixels, not standardized ones."
                )
        if problem := inputs.impossible(rows):
            raise bad_request(problem[0].upper() + problem[1:])
        return rows

    def predict(self, context: Any, model_input: Any, params: dict | None = None) -> pd.DataFrame:
        """The predictions table: per image its class, probability and top three; per house
        its predicted value."""
        from from_data_to_model.pipelines.predict.nodes import predict_classes, predict_values

        rows = self._rows(model_input)
        if self.promotion.is_classifier:
            images = {
                "names": [f"row {i}" for i in range(len(rows))],
                "pixels": rows,
                "inverted": [False] * len(rows),
            }
            table = predict_classes(self.model, images, self.promotion)
            return table.drop(columns=["file", "inverted"])
        features = pd.DataFrame(rows, columns=self.promotion.inputs.features)
        return predict_values(self.model, features, self.promotion)


CHAMPION = "champion"  # the alias of the promoted version: models:/<name>@champion


def log_served_model(parent_run_id: str, model: Any, promotion: Promotion) -> str:
    """Log a promoted model as one MLflow model on the run of ``kedro run``, register it,
    and point the alias ``champion`` at this version.

    Returns:
        ``models:/<name>@champion``.
    """
    import tempfile
    from contextlib import nullcontext
    from pathlib import Path

    from mlflow.models import ModelSignature
    from mlflow.types import Schema, TensorSpec

    width = promotion.inputs.width
    # float64: JSON's integers (raw pixels) cast to it safely; the model casts to float32
    signature = ModelSignature(Schema([TensorSpec(np.dtype(np.float64), (-1, width))]))
    name = promotion.served_name
    active = mlflow.active_run()
    in_parent = active is not None and active.info.run_id == parent_run_id
    with tempfile.TemporaryDirectory() as tmp:
        model_path, record_path = Path(tmp) / "promoted.keras", Path(tmp) / "promotion.json"
        model.save(model_path)
        record_path.write_text(promotion.model_dump_json(indent=2))
        run = nullcontext() if in_parent else mlflow.start_run(run_id=parent_run_id, nested=True)
        with run:
            info = mlflow.pyfunc.log_model(
                name=f"{promotion.served}_served",
                python_model=PromotedModel(),
                artifacts={"model": str(model_path), "promotion": str(record_path)},
                signature=signature,
                registered_model_name=name,
                pip_requirements=_requirements(),
            )
    client = mlflow.MlflowClient()
    version = str(info.registered_model_version)
    for key, value in promotion.run_tags().items():
        client.set_model_version_tag(name, version, key, value)
    client.set_registered_model_alias(name, CHAMPION, version)
    return f"models:/{name}@{CHAMPION}"


def _requirements() -> list[str]:
    """What the served model imports, pinned to this environment's versions."""
    from importlib.metadata import PackageNotFoundError, version

    import keras

    packages = ["mlflow", "keras", keras.backend.backend(), "pandas", "numpy"]
    try:
        return [f"{p}=={version(p)}" for p in packages]
    except PackageNotFoundError:
        return packages
