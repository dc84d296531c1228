"""A promotion record: typed, JSON, versioned; a load before any save says what to run;
a record saved before records said their kind still loads."""

from __future__ import annotations

import json

import pytest
from kedro.io import Version

from from_data_to_model.datasets import ModelMissingError, PromotionDataset
from tests.promotions import housing_promotion


def record(tmp_path, save=None) -> PromotionDataset:
    return PromotionDataset(
        filepath=str(tmp_path / "promotion.json"), version=Version(None, save),
        missing="No housing model has been promoted yet: run the study first.",
    )  # fmt: skip


def test_a_saved_record_loads_and_none_says_what_to_run(tmp_path):
    with pytest.raises(ModelMissingError, match="No housing model has been promoted yet"):
        record(tmp_path).load()
    promotion = housing_promotion()
    record(tmp_path, save="2026-01-01T00.00.00.000Z").save(promotion)
    assert record(tmp_path).load() == promotion
    assert json.loads(record(tmp_path).preview())["kind"] == "regressor"


def test_a_record_saved_before_kinds_loads_as_its_kind(tmp_path):
    old = {
        "study": "regularization", "variant": "combined", "seed": 43,
        "namespace": "regularization.combined.seed_43", "model_val_loss": 0.3393,
        "trained_at": "2026-12-02T10:00:00+00:00", "promoted_at": "2026-12-02T10:09:00+00:00",
        "reason": "of combined's 3 seeds, 43 has the lowest validation loss",
        "inputs": {"shape": [784], "range": [0, 255], "layout": "28×28 pixels"},
        "outputs": {"classes": ["T-shirt/top", "Trouser"], "gives": "class probabilities"},
    }  # fmt: skip
    folder = tmp_path / "promotion.json" / "2026-12-02T10.09.00.000Z"
    folder.mkdir(parents=True)
    (folder / "promotion.json").write_text(json.dumps(old))
    promotion = record(tmp_path).load()
    assert (promotion.kind, promotion.served, promotion.inputs.width) == (
        "classifier",
        "fashion_mnist",
        784,
    )
    assert promotion.inputs.range == (0, 255)
    assert promotion.model_dataset == "fashion_mnist_promoted_model"
    assert promotion.served_name == "from_data_to_model.fashion_mnist"
