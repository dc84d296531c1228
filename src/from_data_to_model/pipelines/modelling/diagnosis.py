"""Fit diagnosis from a learning curve, by documented rules with thresholds in parameters.

Rules, applied to the history up to the epoch whose weights the model keeps, on the
data losses (training loss in inference mode, no L1/L2 penalty; see ``learning_curves``):

* **over-fitting**: validation loss has risen from its minimum by more than
  ``overfit_min_val_rise`` (relative to that minimum) while training loss kept falling
  after the minimum;
* **under-fitting**: training loss is still at or above ``underfit_min_train_loss``
  and the generalization gap (validation minus training loss) is at most
  ``underfit_max_relative_gap`` of the validation loss (the model does about as
  badly on data it saw as on data it did not);
* otherwise a **good fit**.
"""

from __future__ import annotations

import pandas as pd

from from_data_to_model.evaluation_spec import Diagnosis

from .nodes import learning_curves, lowest_epoch

OVERFIT, UNDERFIT, GOOD_FIT = "over-fitting", "under-fitting", "good fit"


def diagnose_fit(history: pd.DataFrame, model_epoch: int, thresholds: Diagnosis) -> tuple[str, str]:
    """Return ``(diagnosis, reason)`` for a learning curve.

    Args:
        history: one row per epoch with the data losses (or ``loss`` and ``val_loss``).
        model_epoch: the (1-based) epoch whose weights the model keeps.
        thresholds: ``overfit_min_val_rise``, ``underfit_min_train_loss``,
            ``underfit_max_relative_gap``.
    """
    train, val = (curve.iloc[:model_epoch] for curve in learning_curves(history))
    best = lowest_epoch(val) - 1
    val_min, val_end = val.iat[best], val.iat[-1]
    train_at_best, train_end = train.iat[best], train.iat[-1]
    rise = (val_end - val_min) / val_min
    if rise > thresholds.overfit_min_val_rise and train_end < train_at_best:
        return OVERFIT, (
            f"validation loss rose {rise:.0%} from its minimum {val_min:.3f} (epoch {best + 1}) "
            f"to {val_end:.3f} while training loss fell from {train_at_best:.3f} to {train_end:.3f}"
        )
    gap = val_end - train_end
    relative_gap = abs(gap) / val_end
    if (
        train_end >= thresholds.underfit_min_train_loss
        and relative_gap <= thresholds.underfit_max_relative_gap
    ):
        return UNDERFIT, (
            f"training loss is still {train_end:.3f} (threshold "
            f"{thresholds.underfit_min_train_loss}) and validation loss {val_end:.3f} "
            f"is close to it (gap {gap:+.3f}, {relative_gap:.0%} of it)"
        )
    return GOOD_FIT, (
        f"validation loss {val_end:.3f} is {rise:.0%} above its minimum {val_min:.3f} "
        f"(over-fitting needs more than {thresholds.overfit_min_val_rise:.0%}); training "
        f"loss {train_end:.3f} with gap {gap:+.3f} does not meet the under-fitting rule"
    )
