"""The runs table's row, typed: one model's figures, each field a column, in the table's order.

``RunInformation`` is what a model's training metadata carries into its validation
summary as it is (where, when, with what, how fast); ``RunRecord`` is the rest of a row of
the runs table: identity, diagnosis, test and validation figures. The
table's first columns, the summary's copied fields and the documentation
(``docs/outputs.md``, checked by a test) all read these fields: none restates them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RunInformation(BaseModel):
    """Where, when and with what a model was trained (the same seeds give other digits on
    another processor or backend)."""

    model_config = ConfigDict(extra="ignore")

    parameter_count: int = Field(description="weights the model has")
    fit_seconds: float = Field(
        description="seconds its fit took (trained with others: their program's, shared)"
    )
    data_loss_seconds: float = Field(description="of which measuring the data losses")
    # models trained before batching existed were trained alone
    program_models: int = Field(1, description="models trained in its program (1: alone)")
    keras_backend: str = Field(description="tensorflow or jax")
    backend_version: str = Field(description="that backend's version")
    keras_version: str = Field(description="Keras' version")
    trained_at: str = Field(description="when its training ended (UTC, ISO 8601)")
    processor: str = Field(description="the processor's model")
    vector_extensions: str = Field(description="its vector extensions (avx2, avx512f, ...)")
    cores: int = Field(description="the cores the run could use")


class RunRecord(BaseModel):
    """One row of the runs table (``regularization.runs_table``): a trained model's
    identity and figures; its ``RunInformation`` follows."""

    variant: str = Field(description="the variant (a block of parameters_regularization.yml)")
    seed: int = Field(description="its seed")
    diagnosis: str = Field(description="under-fitting, over-fitting or good fit")
    test_data_loss: float = Field(description="cross-entropy on the test split, no penalty")
    test_loss: float = Field(description="Keras' test loss (with the L1/L2 penalty)")
    test_accuracy: float = Field(description="accuracy on the test split")
    model_val_loss: float = Field(description="validation data loss of the kept weights")
    model_val_accuracy: float = Field(description="validation accuracy of the kept weights")
    best_val_loss: float = Field(description="the lowest validation data loss of any epoch")
    final_val_loss: float = Field(description="validation data loss after the last epoch")
    final_train_loss: float = Field(description="training data loss after the last epoch")
    model_train_loss: float = Field(description="training data loss of the kept weights")
    final_logged_train_loss: float = Field(
        description="Keras' logged training loss (running mean, dropout on, penalty added)"
    )
    gap_final: float = Field(description="validation minus training loss, last epoch")
    gap_at_best: float = Field(description="the same, at the lowest validation loss")
    best_epoch: int = Field(description="the epoch of the lowest validation loss")
    model_epoch: int = Field(description="the epoch whose weights the model keeps")
    epochs_run: int = Field(description="epochs trained (fewer when stopped early)")
    test_rows: int = Field(description="rows of the test split")


def record_columns() -> list[str]:
    """The runs table's documented columns, in its order."""
    return [*RunRecord.model_fields, *RunInformation.model_fields]
