"""requirements.lock: what `make setup` installs is exactly what the lock pins, and the lock
covers every dependency pyproject.toml names (else it is stale: `make lock`)."""

from __future__ import annotations

from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import PROJECT_ROOT

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest's own dependency
    import tomli as tomllib


def pins() -> dict[str, str]:
    """Name → version of each pin in requirements.lock whose markers hold here."""
    pinned = {}
    for line in (PROJECT_ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith(("#", " ")):
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate():
                (specifier,) = requirement.specifier
                assert specifier.operator == "==", line
                pinned[canonicalize_name(requirement.name)] = specifier.version
    return pinned


def installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def test_the_environment_is_the_lock():
    pinned = pins()
    assert {"keras", "tensorflow", "kedro", "mlflow", "jax"} <= set(pinned)
    here = {name: metadata.version(name) for name in pinned if installed(name)}
    assert {"keras", "tensorflow", "kedro"} <= set(here)  # (an extra may be left out)
    assert {name: pinned[name] for name in here} == here


def test_the_lock_pins_every_dependency_the_project_names():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    named = [*project["dependencies"], *sum(project["optional-dependencies"].values(), [])]
    pinned = pins()
    missing = [r for r in named if canonicalize_name(Requirement(r).name) not in pinned]
    assert not missing, f"requirements.lock is stale (run `make lock`): {missing}"
    for requirement in map(Requirement, named):  # and each pin lies in the project's range
        assert requirement.specifier.contains(
            pinned[canonicalize_name(requirement.name)], prereleases=True
        ), requirement
