"""Runners beyond Kedro's own: ``DaskRunner`` (the ``[dask]`` extra)."""

try:
    from from_data_to_model.runners.dask_runner import DaskRunner
except ImportError as error:  # pragma: no cover - exercised without the extra installed
    if error.name not in {"dask", "distributed"}:
        raise
    raise ImportError(
        f"DaskRunner needs Dask ({error}): pip install 'from-data-to-model[dask]'"
    ) from error

__all__ = ["DaskRunner"]
