"""The project's pipelines, one folder each; ``pipeline_registry`` composes them."""
