"""Dataset previews for ``kedro viz --include-previews``.

kedro-viz calls a dataset's ``preview()`` and reads what kind of preview it is from the
name of its return annotation, the names kedro-datasets uses: ``TablePreview`` is a
``DataFrame.to_dict(orient="split")``, ``ImagePreview`` a base64-encoded PNG.
"""

from __future__ import annotations

import base64
import io
from typing import NewType

import numpy as np

TablePreview = NewType("TablePreview", dict)
ImagePreview = NewType("ImagePreview", str)


def image_grid(images: np.ndarray, labels: np.ndarray, columns: int = 10) -> ImagePreview:
    """Greyscale images in a grid, each titled with its label, as a base64 PNG."""
    from from_data_to_model.figures import titled_images  # matplotlib: when previewed only

    titles = [f"label {int(label)}" for label in labels]
    figure = titled_images(images, titles, columns, cell=(1, 1.15), cmap="gray_r")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=72, bbox_inches="tight")
    return ImagePreview(base64.b64encode(buffer.getvalue()).decode("ascii"))
