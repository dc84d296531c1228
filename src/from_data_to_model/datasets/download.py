"""Download of raw files, with one clear error when the network is not there."""

from __future__ import annotations

import logging
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

logger = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT_S = 60


def download(url: str, target: Path) -> None:
    """Download ``url`` to ``target`` atomically (a partial download never lands).

    Raises:
        OSError: the download failed (no network, HTTP error, disk); callers turn it
            into a ``RawDataMissingError`` that says where to put the files by hand.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    logger.info("Downloading %s to %s", url, target)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".part") as tmp:
        tmp_path = Path(tmp.name)
        try:
            with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:  # noqa: S310
                shutil.copyfileobj(response, tmp)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = f"{url}: {getattr(exc, 'reason', exc)}"
        else:
            reason = None
    if reason is not None:
        tmp_path.unlink(missing_ok=True)
        raise OSError(reason)  # raised outside the handler: no network traceback chained
    tmp_path.replace(target)
