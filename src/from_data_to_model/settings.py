"""Project settings: Kedro defaults, the project's context and hooks (they import no Keras)."""

import warnings
from importlib.util import find_spec
from pathlib import Path

from kedro.utils import find_kedro_project

from from_data_to_model.context import ProjectContext, StudyCheckHooks
from from_data_to_model.hooks import FinalStageChecks, TrainingProgressHooks
from from_data_to_model.isolation import RunIsolationHooks
from from_data_to_model.together import TrainingTogetherHooks

# Kedro 1.x calls an OmegaConf API that OmegaConf 2.4 deprecates; the warning is
# Kedro's to fix and says nothing to our users, so keep it off their console.
warnings.filterwarnings("ignore", message="register_new_resolver", category=UserWarning)

PROGRESS = TrainingProgressHooks()  # told of each model as it finishes, also in a program
HOOKS = (
    StudyCheckHooks(),  # a run's pipelines are its own study's
    PROGRESS,
    TrainingTogetherHooks(PROGRESS),  # training.batch_models: a run's models trained together
    FinalStageChecks(),  # the final stage's settled values and model files, before training
    # a run reads back what it wrote, not a concurrent run's newer file; with
    # --only-missing-outputs remakes what is made from every run (added seeds); and never
    # shares unversioned data with a live run of other parameters
    RunIsolationHooks(),
)
if find_spec("kedro_mlflow"):  # the [mlflow] extra: a child MLflow run per trained model
    from from_data_to_model.tracking import ModelTrackingHooks

    HOOKS += (ModelTrackingHooks(),)

# Pipelines are built from the parameters of the run (see context.py).
CONTEXT_CLASS = ProjectContext


def project_root() -> str:
    """The project's folder, where `kedro` finds it from here (else here); a session's
    context rebinds it to the session's own project (see context.py)."""
    return (find_kedro_project(Path.cwd()) or Path.cwd()).as_posix()


CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    # conf/local/parameters*.yml may add or change one variant without restating the rest.
    "merge_strategy": {"parameters": "soft"},
    # ${project_root:} in conf (mlflow.yml's store)
    "custom_resolvers": {"project_root": project_root},
}
