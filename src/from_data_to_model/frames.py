"""Tables made from what many nodes wrote: each record or table carries its run's identity."""

from __future__ import annotations

from typing import Any

import pandas as pd


def tabulate_records(*records: dict[str, Any]) -> pd.DataFrame:
    """One row per record (a model's validation summary, test metrics, ...), in order."""
    return pd.DataFrame(list(records))


def stack_tables(*tables: pd.DataFrame) -> pd.DataFrame:
    """Tables of the same columns, one under the other (the models' learning curves)."""
    return pd.concat(tables, ignore_index=True)
