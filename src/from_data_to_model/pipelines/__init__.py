"""The project's pipelines, one folder each (found by ``find_pipelines``)."""
