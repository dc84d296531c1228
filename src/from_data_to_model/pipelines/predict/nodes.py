"""Scoring new data with the promoted models: images as the training images look, houses
as their eight features; a predictions table each, and a contact sheet of the images."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from from_data_to_model.figures import titled_images
from from_data_to_model.input_warnings import house_warnings, image_warnings, training_spread
from from_data_to_model.promotion import Promotion

logger = logging.getLogger(__name__)

SIDE = 28  # Fashion-MNIST's images are 28 × 28


def _grayscale(image: np.ndarray) -> np.ndarray:
    """An RGBA image over white, as luminance (ITU-R 601, Pillow's "L"); grayscale as is."""
    if image.ndim == 2:
        return image.astype(np.float32)
    rgb, alpha = image[..., :3].astype(np.float32), image[..., 3:4].astype(np.float32) / 255
    over_white = rgb * alpha + 255 * (1 - alpha)
    return over_white @ np.array([0.299, 0.587, 0.114], np.float32)


def as_training_image(image: np.ndarray, light_background: float) -> tuple[np.ndarray, bool]:
    """One image as Fashion-MNIST's look: a light garment on a dark background, 28 × 28.

    Grayscale; inverted when its border is brighter on average than ``light_background``
    (a photo of a dark garment on a light background becomes a light garment on a dark
    one); padded to a square with its background; resized to 28 × 28.

    Returns:
        The 784 pixels (0-255, row by row) and whether the image was inverted.
    """
    from PIL import Image

    gray = _grayscale(image)
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    inverted = bool(border.mean() > light_background)
    if inverted:
        gray, border = 255 - gray, 255 - border
    height, width = gray.shape
    side = max(height, width)
    square = np.full((side, side), np.median(border))
    top, left = (side - height) // 2, (side - width) // 2
    square[top : top + height, left : left + width] = gray
    resized = Image.fromarray(square.round().clip(0, 255).astype(np.uint8)).resize(
        (SIDE, SIDE), Image.Resampling.LANCZOS
    )
    return np.asarray(resized, np.float32).reshape(-1), inverted


def prepare_images(raw: dict[str, Any], rules: dict[str, Any]) -> dict[str, Any]:
    """The images to score as the promoted model takes them (see ``as_training_image``)."""
    prepared = [as_training_image(image, rules["light_background"]) for image in raw["images"]]
    pixels = np.array([p for p, _ in prepared], np.float32).reshape(-1, SIDE * SIDE)
    inverted = [flag for _, flag in prepared]
    logger.info("Prepared %d images to score (%d inverted)", len(pixels), sum(inverted))
    return {"names": list(raw["names"]), "pixels": pixels, "inverted": inverted}


def predict_classes(model: Any, images: dict[str, Any], promotion: Promotion) -> pd.DataFrame:
    """One row per image: its file, the predicted class and probability, the top three,
    whether it was inverted, and what looks wrong with it (``image_warnings``; empty when
    nothing does)."""
    classes = np.array(promotion.outputs.classes)
    if not len(images["pixels"]):
        columns = ["file", "class", "probability", "top3", "inverted", "warning"]
        return pd.DataFrame(columns=columns)
    probabilities = model.predict(images["pixels"], verbose=0)
    top = np.argsort(-probabilities, axis=1)[:, :3]
    rows = np.arange(len(top))[:, None]
    top3 = [
        "; ".join(f"{c} {p:.3f}" for c, p in zip(names, probs, strict=True))
        for names, probs in zip(classes[top], probabilities[rows, top], strict=True)
    ]
    predictions = pd.DataFrame(
        {
            "file": images["names"],
            "class": classes[top[:, 0]],
            "probability": probabilities[rows[:, 0], top[:, 0]],
            "top3": top3,
            "inverted": images["inverted"],
            "warning": image_warnings(images["pixels"], promotion.inputs, training_spread(model)),
        }
    )
    logger.info("Scored %d images with %s", len(predictions), promotion.described)
    _log_warned(predictions["warning"], "images")
    return predictions


def _tail(name: str, width: int = 18) -> str:
    """A name that fits a title: its end, where an IDX image's index is (``…gz[4992]``)."""
    return name if len(name) <= width else "…" + name[1 - width :]


def draw_contact_sheet(
    images: dict[str, Any], predictions: pd.DataFrame, sheet: dict[str, Any]
) -> Figure:
    """Scored images as the model saw them, with their predicted class and probability:
    all of them, or an evenly spaced sample of ``sheet["max_images"]``, and the title says
    which (a figure of 10000 titled images would take minutes and gigabytes to draw)."""
    if sheet["max_images"] < 1:
        raise ValueError(f"predict.contact_sheet.max_images must be 1 or more, got {sheet}")
    shown = np.unique(np.linspace(0, len(predictions) - 1, sheet["max_images"]).round())
    shown = shown.astype(int) if len(predictions) > sheet["max_images"] else slice(None)
    sample = predictions.iloc[shown]
    titles = [
        f"{_tail(file)}\n{label} {probability:.0%}"
        for file, label, probability in sample[["file", "class", "probability"]].itertuples(
            index=False
        )
    ]
    figure = titled_images(images["pixels"][shown], titles, empty="no images scored")
    if len(sample) < len(predictions):
        figure.suptitle(
            f"{len(sample)} of {len(predictions)} scored images, evenly spaced (every "
            f"{len(predictions) / len(sample):.0f}th); the predictions table has them all"
        )
    return figure


def check_housing_rows(rows: pd.DataFrame, promotion: Promotion) -> pd.DataFrame:
    """The rows to score, each a house's eight raw features, in the model's column order.

    Raises:
        ValueError: a missing or extra column, a cell that is empty or not a number, or a
            value no house can have, named by row and column.
    """
    features = promotion.inputs.features
    if rows.empty and not len(rows.columns):  # nothing to score
        return pd.DataFrame(columns=features, dtype=np.float32)
    missing = [c for c in features if c not in rows.columns]
    extra = [c for c in rows.columns if c not in features]
    if missing or extra:
        raise ValueError(
            f"Housing CSV: {'missing column(s) ' + ', '.join(missing) if missing else ''}"
            f"{'; ' if missing and extra else ''}"
            f"{'unexpected column(s) ' + ', '.join(map(str, extra)) if extra else ''}. "
            f"It needs exactly these {len(features)}: {', '.join(features)}."
        )
    numbers = rows[features].apply(pd.to_numeric, errors="coerce")
    bad = numbers.isna().to_numpy()
    if bad.any():
        row, column = (int(i) for i in np.argwhere(bad)[0])
        value = rows[features].iat[row, column]
        problem = "empty" if pd.isna(value) or str(value).strip() == "" else f"{value!r}"
        raise ValueError(
            f"Housing CSV: row {row + 1}, column '{features[column]}' is {problem}: every "
            "cell must be a number."
        )
    numbers = numbers.astype(np.float32)
    if problem := promotion.inputs.impossible(numbers.to_numpy()):
        raise ValueError(f"Housing CSV: {problem}")
    return numbers


def predict_values(model: Any, rows: pd.DataFrame, promotion: Promotion) -> pd.DataFrame:
    """The rows with the promoted model's prediction of the target beside them."""
    target = f"predicted_{promotion.outputs.target}"
    features = rows.to_numpy(np.float32)
    values = model.predict(features, verbose=0).ravel() if len(rows) else []
    warnings = house_warnings(features, promotion.inputs, training_spread(model))
    logger.info("Scored %d houses with %s", len(rows), promotion.described)
    _log_warned(pd.Series(warnings, dtype=str), "houses")
    return rows.assign(**{target: values, "warning": warnings})


def _log_warned(warnings: pd.Series, what: str) -> None:
    """One log line for the rows that carry a warning, with the first of them."""
    if warned := int((warnings != "").sum()):
        first = warnings[warnings != ""].iloc[0]
        logger.warning(
            "%d of %d %s look otherwise than the training data (see the predictions' "
            "warning column), e.g. row %d: %s",
            warned, len(warnings), what, int(np.argmax(warnings != "")) + 1, first,
        )  # fmt: skip
