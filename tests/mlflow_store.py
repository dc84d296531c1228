"""Reading a test project's MLflow store (the [mlflow] extra's SQLite file)."""

from __future__ import annotations

import mlflow


def store(project) -> mlflow.MlflowClient:
    """The project's SQLite tracking store, as conf/base/mlflow.yml names it."""
    return mlflow.MlflowClient(tracking_uri=f"sqlite:///{project.root / 'mlflow.db'}")


def runs(client: mlflow.MlflowClient) -> list:
    experiment = client.get_experiment_by_name("from_data_to_model")
    return client.search_runs([experiment.experiment_id], max_results=1000)


def children(client, parent) -> dict[str, object]:
    """The model runs of a ``kedro run``'s MLflow run, by namespace."""
    return {
        r.data.tags["namespace"]: r
        for r in runs(client)
        if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id
    }


def kedro_runs(client) -> list:
    """The runs of ``kedro run`` itself (kedro-mlflow's), newest first."""
    return [r for r in runs(client) if "mlflow.parentRunId" not in r.data.tags]
