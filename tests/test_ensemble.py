"""The final model as one Keras file: scaler, members, mean, temperature; and its checks."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from sklearn.preprocessing import StandardScaler

from from_data_to_model.calibration import temperature_scaled
from from_data_to_model.datasets import KerasModelDataset, ModelFileError, ModelMissingError
from from_data_to_model.ensemble import bundle_ensemble, predict_probabilities
from from_data_to_model.models import build_model
from tests.specs import DEFAULTS


@pytest.fixture(scope="module")
def members_and_scaler():
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(64, 784)).astype(np.float32)
    small = DEFAULTS.model_copy(
        update={"hidden": DEFAULTS.hidden.model_copy(update={"units": [8]})}
    )
    members = [build_model(small.model_copy(update={"seed": s}), 784) for s in (1, 2, 3)]
    return members, StandardScaler().fit(pixels), pixels


def test_the_bundle_is_the_temperature_scaled_mean_of_its_members(members_and_scaler):
    members, scaler, pixels = members_and_scaler
    model = bundle_ensemble(members, scaler, 1.7)
    standardized = scaler.transform(pixels).astype(np.float32)
    mean = np.mean([predict_probabilities(m, standardized) for m in members], axis=0)
    np.testing.assert_allclose(
        predict_probabilities(model, pixels), temperature_scaled(mean, 1.7), atol=1e-5
    )
    names = [layer.name for layer in model.layers]
    assert names == ["raw", "standardize", "member_0", "member_1", "member_2", "average",
                     "temperature"]  # fmt: skip


@pytest.mark.slow
def test_the_bundle_loads_in_a_fresh_process_in_safe_mode(members_and_scaler, tmp_path):
    members, scaler, pixels = members_and_scaler
    dataset = KerasModelDataset(filepath=str(tmp_path / "final.keras"))
    dataset.save(bundle_ensemble(members[:1], scaler, 0.8))
    np.save(tmp_path / "pixels.npy", pixels[:5])
    expected = predict_probabilities(dataset.load(), pixels[:5])
    code = (
        "import sys, numpy as np; from from_data_to_model.datasets import KerasModelDataset;"
        "m = KerasModelDataset(filepath=sys.argv[1]).load();"
        "np.save(sys.argv[2], m.predict(np.load(sys.argv[3]), verbose=0))"
    )
    out = tmp_path / "out.npy"
    subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "final.keras"), str(out),
         str(tmp_path / "pixels.npy")], check=True, capture_output=True,
    )  # fmt: skip
    np.testing.assert_allclose(np.load(out), expected, atol=1e-6)


def test_check_file_tells_a_missing_model_from_a_damaged_one(members_and_scaler, tmp_path):
    members, _, _ = members_and_scaler
    path = tmp_path / "model.keras"
    dataset = KerasModelDataset(filepath=str(path), missing="Nothing here yet: train it.")
    with pytest.raises(ModelMissingError, match="Nothing here yet"):
        dataset.check_file()
    dataset.save(members[0])
    dataset.check_file()  # a whole archive
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # cut off mid-file
    with pytest.raises(ModelFileError, match=r"model\.keras is damaged"):
        dataset.check_file()
