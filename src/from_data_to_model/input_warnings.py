"""A client's usual mistakes, as a warning beside each prediction.

The served model and ``predict`` answer every row they can, but an image sent otherwise
than the training images were (pixels scaled to 0-1, a dark garment on a light
background, a blank image, the 28 × 28 pixels in another order), or a house in other
units (an income in dollars, not tens of thousands), gets a confident answer that means
nothing. ``image_warnings`` and ``house_warnings`` say so, row by row, in words that say
what to send instead. Their thresholds are the promotion record's (``Inputs``, from
``predict.images`` and ``housing.warn_beyond_sd``); a record without one skips that check.

The layout check compares how well the images fit the training data as sent and read
another way (column by column, or bottom row first), with the per-pixel mean and spread
that the promoted model's ``standardize`` layer holds: the training images' own. One
image says little (a garment transposed often fits as well), a batch says a lot. Measured
on Fashion-MNIST's 10000 official test images against the training images' spread: 1 in
10000 random batches of 20 images as they are was taken for another layout (49 in 100
single images), and every batch of 20 transposed or upside down was found.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from from_data_to_model.promotion import Inputs

SIDE = 28  # Fashion-MNIST's images are 28 × 28
LAYOUTS = {  # another order of the same pixels, and what it is in words
    "read column by column (transposed)": lambda images: images.transpose(0, 2, 1),
    "read bottom row first (upside down)": lambda images: images[:, ::-1],
}
SEND = "send each image's 28 rows top to bottom, each row left to right"
CHUNK = 10000  # images at a time: memory stays flat as the input grows


def training_spread(model: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """The training data's per-column mean and standard deviation (per pixel, per
    feature), from the promoted model's ``standardize`` layer; None for a model without
    one."""
    try:
        layer = model.get_layer("standardize")
    except ValueError:
        return None
    mean = np.asarray(layer.mean, np.float32).reshape(-1)
    std = np.sqrt(np.asarray(layer.variance, np.float32).reshape(-1))
    return mean, std


def _misfit(pixels: np.ndarray, spread: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Per image, the log of its mean squared distance from the training images, in
    training standard deviations (of at least one grey level: a corner pixel that was
    almost always black must not outweigh the garment)."""
    mean, std = spread
    std = np.maximum(std, 1.0)
    return np.log(np.square((pixels - mean) / std).mean(axis=1) + 1e-6)


def wrong_layout(pixels: np.ndarray, spread: tuple[np.ndarray, np.ndarray]) -> str | None:
    """The other order these images fit the training images better in, if one does."""
    as_sent = np.zeros(len(pixels))
    other = {name: np.zeros(len(pixels)) for name in LAYOUTS}
    for start in range(0, len(pixels), CHUNK):
        chunk = pixels[start : start + CHUNK]
        as_sent[start : start + CHUNK] = _misfit(chunk, spread)
        squares = chunk.reshape(-1, SIDE, SIDE)
        for name, reorder in LAYOUTS.items():
            reordered = reorder(squares).reshape(len(chunk), -1)
            other[name][start : start + CHUNK] = _misfit(reordered, spread)
    gain = {name: float((as_sent - misfit).mean()) for name, misfit in other.items()}
    best = max(gain, key=gain.get)
    return best if gain[best] > 0 else None


def image_warnings(
    pixels: np.ndarray, inputs: Inputs, spread: tuple[np.ndarray, np.ndarray] | None
) -> list[str]:
    """Per image (784 pixels, 0-255, row by row), what looks wrong with it, in words that
    say what to send instead; an empty string for an image that looks as the training
    images do."""
    pixels = np.asarray(pixels, np.float32).reshape(len(pixels), -1)
    found: list[list[str]] = [[] for _ in range(len(pixels))]
    brightest, darkest = pixels.max(axis=1), pixels.min(axis=1)
    squares = pixels.reshape(-1, SIDE, SIDE)
    border = np.concatenate(
        [squares[:, 0], squares[:, -1], squares[:, :, 0], squares[:, :, -1]], axis=1
    ).mean(axis=1)
    for row in np.flatnonzero(brightest == darkest):
        found[row].append(f"every pixel is {brightest[row]:g}: a blank image, nothing to see")
    for row in np.flatnonzero((brightest <= 1) & (brightest > darkest)):
        found[row].append(
            f"the brightest pixel is {brightest[row]:g}: the pixels look scaled to 0-1; "
            "send raw values 0-255, as the training images have"
        )
    if inputs.light_background is not None:
        light = (border > inputs.light_background) & (brightest > darkest)
        for row in np.flatnonzero(light):
            found[row].append(
                f"a light background (its border averages {border[row]:.0f}): the training "
                "images are light garments on black; send 255 - value"
            )
    # the layout of the images that look right otherwise, where they are enough to tell
    plain = np.flatnonzero([not row for row in found])
    minimum = inputs.layout_min_images
    if spread is not None and minimum is not None and len(plain) >= minimum:
        if layout := wrong_layout(pixels[plain], spread):
            for row in plain:
                found[row].append(
                    f"these {len(plain)} images fit the training ones better {layout}: {SEND}"
                )
    return ["; ".join(row) for row in found]


def house_warnings(
    rows: np.ndarray, inputs: Inputs, spread: tuple[np.ndarray, np.ndarray] | None
) -> list[str]:
    """Per house, each feature farther from the training houses' mean than
    ``inputs.warn_beyond_sd`` of their standard deviations: a value in other units (an
    income in dollars), which the model can only extrapolate to; empty strings where none
    is."""
    if spread is None or inputs.warn_beyond_sd is None or not len(rows):
        return [""] * len(rows)
    mean, std = spread
    distance = np.abs((np.asarray(rows, np.float64) - mean) / std)
    found: list[list[str]] = [[] for _ in range(len(rows))]
    for row, column in np.argwhere(distance > inputs.warn_beyond_sd):
        found[row].append(
            f"{inputs.features[column]} is {rows[row, column]:g}, {distance[row, column]:.0f} "
            f"standard deviations from the training houses' mean {mean[column]:.4g}: check "
            "its units (the training data's), the model only extrapolates this far"
        )
    return ["; ".join(row) for row in found]
