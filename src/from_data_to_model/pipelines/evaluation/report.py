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
    "test_rows",
    "keras_backend",
    "keras_version",
    "trained_at",
    "diagnosis_reason",
]
RESULT_COLUMNS = [
    "variant", "diagnosis", "test_loss", "test_accuracy", "model_val_loss", "best_epoch",
    "epochs_run", "gap_final", "parameter_count", "fit_seconds",
]  # fmt: skip
PARAMETER_COLUMNS = [
    "variant", "seed", "hidden_units", "l1", "l2", "dropout_layers", "epochs", "batch_size",
    "early_stopping",
]  # fmt: skip


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
    run = ("parameter_count", "fit_seconds", "seed", "keras_backend", "keras_version")
    return {
        **figures,
        **test_metrics,
        "diagnosis": diagnosis,
        "diagnosis_reason": reason,
        **{key: metadata[key] for key in run},
        **spec_columns(metadata["spec"]),
        "trained_at": metadata["trained_at"],
    }


def compile_report_table(**summaries: dict[str, Any]) -> pd.DataFrame:
    """One row per variant (keyword = variant name), in the documented column order."""
    table = pd.DataFrame([{"variant": name, **summary} for name, summary in summaries.items()])
    present = [c for c in REPORT_COLUMNS if c in table.columns]
    return table[present + [c for c in table.columns if c not in present]]


def markdown_table(table: pd.DataFrame, columns: list[str]) -> str:
    """The given columns as a Markdown table, numbers to four significant digits."""
    return table[columns].to_markdown(index=False, floatfmt=".4g")


def _distinct(table: pd.DataFrame, column: str) -> str:
    return ", ".join(str(v) for v in table[column].unique())


def run_information(table: pd.DataFrame) -> dict[str, str]:
    """When and with what the report's models were trained and the report written."""
    return {
        "report written (UTC)": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "models trained (UTC)": f"{table['trained_at'].min()} to {table['trained_at'].max()}",
        "seeds": _distinct(table, "seed"),
        "Keras backend": _distinct(table, "keras_backend"),
        "Keras": _distinct(table, "keras_version"),
        "Kedro": version("kedro"),
        "Python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
    }


def _results_section(table: pd.DataFrame) -> list[str]:
    return [
        f"## Results on the test split ({_distinct(table, 'test_rows')} rows)",
        "",
        markdown_table(table, RESULT_COLUMNS),
        "",
        "## Fit diagnosis, from each learning curve",
        "",
        *[f"- **{r.variant}**: {r.diagnosis}: {r.diagnosis_reason}." for r in table.itertuples()],
    ]


def _choice_section(table: pd.DataFrame, choice: dict[str, Any]) -> list[str]:
    chosen = table.set_index("variant").loc[choice["variant"]]
    return [
        "## Which model would we use, and why?",
        "",
        f"**{choice['variant']}**, chosen on the validation split only: {choice['reason']}",
        "",
        f"Afterwards, on the test split (never used for the choice): test loss "
        f"{chosen['test_loss']:.4f}, test accuracy {chosen['test_accuracy']:.4f}.",
    ]


def _parameters_section(table: pd.DataFrame, evaluation: dict[str, Any]) -> list[str]:
    thresholds = ", ".join(f"{k} {v}" for k, v in evaluation["diagnosis"].items())
    return [
        "## Parameters",
        "",
        markdown_table(table, PARAMETER_COLUMNS),
        "",
        f"Diagnosis thresholds: {thresholds}; choice: tie tolerance "
        f"{evaluation['choice']['tie_tolerance']}, baseline {evaluation['baseline']}.",
    ]


def write_report(table: pd.DataFrame, choice: dict[str, Any], evaluation: dict[str, Any]) -> str:
    """The Markdown report: results, diagnoses, recommendation, parameters, run."""
    run = [f"- {key}: {value}" for key, value in run_information(table).items()]
    sections = [
        ["# Regularization study: report"],
        _results_section(table),
        _choice_section(table, choice),
        _parameters_section(table, evaluation),
        ["## Run", "", *run],
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def write_housing_report(summary: dict[str, Any], test_metrics: dict[str, float]) -> str:
    """The housing model's Markdown report: its validation and test MSE."""
    return (
        "# California housing: report\n\n"
        f"Validation MSE after {summary['epochs_run']} epochs: {summary['final_val_loss']:.4f} "
        f"(lowest {summary['best_val_loss']:.4f}, epoch {summary['best_epoch']}); "
        f"test MSE on {test_metrics['test_rows']} rows: {test_metrics['test_loss']:.4f}.\n"
    )
