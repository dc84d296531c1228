"""The report: one table row per variant, and the Markdown a person reads."""

from __future__ import annotations

import platform
from datetime import datetime, timezone
from importlib.metadata import version
from typing import Any

import pandas as pd

from .diagnosis import diagnose_fit
from .metrics import history_metrics

# Documented, stable column order of the report table (see README, "Outputs").
REPORT_COLUMNS = [
    "variant",
    "diagnosis",
    "test_loss",
    "test_accuracy",
    "model_val_loss",
    "model_val_accuracy",
    "best_val_loss",
    "final_val_loss",
    "final_train_loss",
    "gap_final",
    "gap_at_best",
    "best_epoch",
    "model_epoch",
    "epochs_run",
    "parameter_count",
    "fit_seconds",
    "seed",
    "hidden_units",
    "l1",
    "l2",
    "dropout_layers",
    "epochs",
    "batch_size",
    "early_stopping",
    "trained_at",
    "diagnosis_reason",
]

PARAMETER_COLUMNS = ["variant", *REPORT_COLUMNS[REPORT_COLUMNS.index("seed") : -1]]


def spec_columns(spec: dict[str, Any]) -> dict[str, Any]:
    """The hyperparameters that tell the variants apart, flattened for the table."""
    return {
        "hidden_units": "-".join(str(u) for u in spec["hidden"]["units"]),
        "l1": spec["hidden"]["l1"],
        "l2": spec["hidden"]["l2"],
        "dropout_layers": spec["dropout"]["layers"],
        "epochs": spec["epochs"],
        "batch_size": spec["batch_size"],
        "early_stopping": spec["early_stopping"]["enabled"],
    }


def summarise_variant(
    history: pd.DataFrame,
    metadata: dict[str, Any],
    test_metrics: dict[str, float],
    thresholds: dict[str, Any],
) -> dict[str, Any]:
    """Everything the report says about one variant (without its name)."""
    figures = history_metrics(history, metadata)
    diagnosis, reason = diagnose_fit(history, figures["model_epoch"], thresholds)
    return {
        **figures,
        **test_metrics,
        "diagnosis": diagnosis,
        "diagnosis_reason": reason,
        "parameter_count": metadata["parameter_count"],
        "fit_seconds": metadata["fit_seconds"],
        "seed": metadata["seed"],
        **spec_columns(metadata["spec"]),
        "trained_at": metadata.get("trained_at", ""),
    }


def compile_report_table(**summaries: dict[str, Any]) -> pd.DataFrame:
    """One row per variant (keyword = variant name), in the documented column order."""
    table = pd.DataFrame([{"variant": name, **summary} for name, summary in summaries.items()])
    present = [c for c in REPORT_COLUMNS if c in table.columns]
    return table[present + [c for c in table.columns if c not in present]]


def _cell(value: Any) -> str:
    if isinstance(value, float) and abs(value) < 1e-3:
        return f"{value:.0e}" if value else "0"
    return f"{value:.4f}" if isinstance(value, float) else f"{value}"


def _markdown_table(table: pd.DataFrame, columns: list[str]) -> str:
    rows = [columns, ["---"] * len(columns)]
    for _, row in table.iterrows():
        rows.append([_cell(row[c]) for c in columns])
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def run_information(metadata: dict[str, Any]) -> dict[str, str]:
    """When and with what the report's run was made."""
    return {
        "run date (UTC)": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "seed": str(metadata["seed"]),
        "Keras backend": metadata["keras_backend"],
        "Keras": metadata["keras_version"],
        "Kedro": version("kedro"),
        "Python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
    }


def write_report(
    table: pd.DataFrame,
    choice: dict[str, Any],
    run_metadata: dict[str, Any],
    evaluation: dict[str, Any],
    housing_metrics: dict[str, float] | None = None,
    housing_summary: dict[str, Any] | None = None,
) -> str:
    """The Markdown report: table, diagnoses, recommendation, run information."""
    chosen = table.set_index("variant").loc[choice["variant"]]
    lines = [
        "# Regularization study: report",
        "",
        "## Results on the 18000-row test split",
        "",
        _markdown_table(
            table,
            [
                "variant",
                "diagnosis",
                "test_loss",
                "test_accuracy",
                "model_val_loss",
                "best_epoch",
                "epochs_run",
                "gap_final",
                "parameter_count",
                "fit_seconds",
            ],
        ),  # fmt: skip
        "",
        "## Fit diagnosis, from each learning curve",
        "",
        *[f"- **{r.variant}**: {r.diagnosis}: {r.diagnosis_reason}." for r in table.itertuples()],
        "",
        "## Which model would we use, and why?",
        "",
        f"**{choice['variant']}**, chosen on the validation split only: {choice['reason']}",
        "",
        f"Afterwards, on the test split (never used for the choice): test loss "
        f"{chosen['test_loss']:.4f}, test accuracy {chosen['test_accuracy']:.4f}.",
        "",
    ]
    if housing_metrics is not None and housing_summary is not None:
        lines += [
            "## California housing (part 1)",
            "",
            f"Validation MSE after {housing_summary['epochs_run']} epochs: "
            f"{housing_summary['final_val_loss']:.4f}; "
            f"test MSE: {housing_metrics['test_loss']:.4f}.",
            "",
        ]
    lines += [
        "## Parameters",
        "",
        _markdown_table(table, [c for c in PARAMETER_COLUMNS if c in table.columns]),
        "",
        "Diagnosis thresholds: "
        + ", ".join(f"{k} {v}" for k, v in evaluation["diagnosis"].items())
        + f"; choice: tie tolerance {evaluation['choice']['tie_tolerance']}, "
        f"baseline {evaluation['baseline']}.",
        "",
        "## Run",
        "",
    ]
    lines += [f"- {key}: {value}" for key, value in run_information(run_metadata).items()]
    return "\n".join(lines) + "\n"
