"""Promotion records the tests make."""

from __future__ import annotations

from from_data_to_model.promotion import Inputs, Outputs, Promotion, promotion_record

FEATURES = ["MedInc", "HouseAge"]


def run(namespace: str = "housing") -> dict:
    return {"study": "housing", "variant": "housing", "seed": 42, "namespace": namespace,
            "model_val_loss": 0.36, "trained_at": "2026-12-03T10:00:00+00:00"}  # fmt: skip


def housing_promotion(features: list[str] = FEATURES) -> Promotion:
    inputs = Inputs(width=len(features), features=features, layout="one row per house")
    outputs = Outputs(target="MedHouseVal", unit="$100,000", gives="the predicted value")
    return promotion_record("housing", run(), "trained once", inputs, outputs)


def image_promotion(classes: list[str], namespace: str = "regularization.a.seed_42") -> Promotion:
    inputs = Inputs(width=784, range=(0, 255), layout="28×28 pixels")
    outputs = Outputs(classes=classes, gives="class probabilities")
    record = run(namespace) | {"study": "regularization", "variant": "a"}
    return promotion_record("fashion_mnist", record, "lowest validation loss", inputs, outputs)
