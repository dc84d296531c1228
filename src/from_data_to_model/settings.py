"""Project settings: Kedro defaults, plus the project's hooks and catalog class."""

import warnings

from from_data_to_model.catalog import ByReferenceDataCatalog
from from_data_to_model.hooks import ParallelRunnerHooks, TrainingHooks

# Kedro 1.x calls an OmegaConf API that OmegaConf 2.4 deprecates; the warning is
# Kedro's to fix and says nothing to our users, so keep it off their console.
warnings.filterwarnings("ignore", message="register_new_resolver", category=UserWarning)
# The report nodes read every variant's namespaced outputs (`l2.summary`, ...) on
# purpose; Kedro warns about dotted names used outside their namespace.
warnings.filterwarnings("ignore", message="One or more dataset names contain '.'")

HOOKS = (TrainingHooks(), ParallelRunnerHooks())

DATA_CATALOG_CLASS = ByReferenceDataCatalog

CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    # conf/local/parameters*.yml may add or change one variant without restating the rest.
    "merge_strategy": {"parameters": "soft"},
}
