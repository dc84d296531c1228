"""Several trained networks as one Keras model: raw inputs in, calibrated probabilities out.

``bundle_ensemble`` puts the scaler's standardization in front of the members, averages
their class probabilities and applies the fitted temperature (``TemperatureScaling``), so
that one ``.keras`` file is the whole final model: what ``predict``, serving and
``mlflow models serve`` load, with no code of their own for ensembles. The layer is
registered with Keras, so the file loads in safe mode wherever this package is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

from from_data_to_model.calibration import EPSILON
from from_data_to_model.promotion import standardized_input


@keras.saving.register_keras_serializable(package="from_data_to_model")
class TemperatureScaling(keras.layers.Layer):
    """Class probabilities p → softmax(log p / T)."""

    def __init__(self, temperature: float = 1.0, **kwargs: Any):
        super().__init__(**kwargs)
        self.temperature = float(temperature)

    def call(self, probabilities: Any) -> Any:
        logits = keras.ops.log(keras.ops.clip(probabilities, EPSILON, 1.0)) / self.temperature
        return keras.ops.softmax(logits, axis=-1)

    def get_config(self) -> dict[str, Any]:
        return super().get_config() | {"temperature": self.temperature}


def bundle_ensemble(members: Sequence[keras.Model], scaler: Any, temperature: float) -> Any:
    """Raw inputs → the scaler's standardization → each member → their mean probability →
    temperature scaling: one Keras model (its layers: ``standardize``, ``member_<k>``,
    ``average``, ``temperature``)."""
    raw, standardized = standardized_input(scaler)
    outputs = []
    for index, member in enumerate(members):
        # each member under its own name: the same layer names inside are then distinct
        wrapped = keras.Model(member.inputs[0], member.outputs[0], name=f"member_{index}")
        outputs.append(wrapped(standardized))
    mean = outputs[0] if len(outputs) == 1 else keras.layers.Average(name="average")(outputs)
    calibrated = TemperatureScaling(temperature, name="temperature")(mean)
    return keras.Model(raw, calibrated, name="final")


def predict_probabilities(model: Any, rows: np.ndarray) -> np.ndarray:
    """A model's class probabilities for float32 rows, in inference mode."""
    return np.asarray(model.predict(np.asarray(rows, np.float32), batch_size=4096, verbose=0))
