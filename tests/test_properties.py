"""Property-based test: arbitrary bytes in the IDX files end in our clear error type."""

from __future__ import annotations

import gzip

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from from_data_to_model.datasets import FashionMnistDataset, RawDataError
from from_data_to_model.datasets.idx_dataset import SPLIT_FILES
from tests.raw_files import idx_bytes

IMAGES, LABELS = SPLIT_FILES["train"]
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def header(magic: int, dims: list[int]) -> bytes:
    return magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in dims)


# Bytes that look more or less like IDX: random, a real header with a random body, or
# a valid file with a random cut, so that every check of the reader gets exercised.
idx_like = st.one_of(
    st.binary(max_size=64),
    st.builds(
        lambda m, dims, body: header(m, dims) + body,
        st.sampled_from([2049, 2051, 0, 0x0803FFFF]),
        st.lists(st.integers(0, 2**32 - 1), max_size=4),
        st.binary(max_size=64),
    ),
    st.builds(
        lambda n, cut: idx_bytes(np.zeros((n, 28, 28), np.uint8))[: cut or None],
        st.integers(0, 3),
        st.integers(0, 3200),
    ),
)
labels_like = st.one_of(
    st.binary(max_size=32),
    st.builds(
        lambda labels: idx_bytes(np.array(labels, np.uint8)),
        st.lists(st.integers(0, 255), max_size=5),
    ),
)


@SETTINGS
@given(images=idx_like, labels=labels_like, gzipped=st.booleans())
def test_idx_reader_never_crashes_unexplained(tmp_path_factory, images, labels, gzipped):
    folder = tmp_path_factory.mktemp("idx")
    wrap = gzip.compress if gzipped else (lambda b: b)
    (folder / IMAGES).write_bytes(wrap(images))
    (folder / LABELS).write_bytes(wrap(labels))
    try:
        data = FashionMnistDataset(path=str(folder)).load()
    except RawDataError:
        return
    # whatever loads is consistent
    assert len(data["images"]) == len(data["labels"])
    assert data["images"].ndim == 3 and data["labels"].max(initial=0) < 10
