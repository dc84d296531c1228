"""The project's pipelines, one folder each (found by ``find_pipelines``)."""

from kedro.pipeline import Pipeline


def data_pipeline(dataset: str) -> Pipeline:
    """Ingestion and processing of one dataset: the nodes tagged with its name.

    Args:
        dataset: ``"fashion_mnist"`` or ``"housing"``.
    """
    from . import data_ingestion, data_processing

    both = data_ingestion.create_pipeline() + data_processing.create_pipeline()
    return both.only_nodes_with_tags(dataset)
