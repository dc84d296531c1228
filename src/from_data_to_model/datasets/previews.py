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
    from matplotlib.figure import Figure  # no pyplot: no global figure state

    rows = -(-len(images) // columns)
    figure = Figure(figsize=(columns, rows * 1.15))
    for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        ax = figure.add_subplot(rows, columns, i + 1)
        ax.imshow(image, cmap="gray_r")
        ax.set_title(f"label {int(label)}", fontsize=8)
        ax.axis("off")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=72, bbox_inches="tight")
    return ImagePreview(base64.b64encode(buffer.getvalue()).decode("ascii"))
