"""Find the IBM HR attrition CSV: MODELYARD_SAMPLE_DATA, the shared folder beside the repo, or download it.

Prints the path of a verified copy. The download is checked against the file's sha256.
"""

from __future__ import annotations

import hashlib
import os
import sys
import urllib.request
from pathlib import Path

SHA256 = "e9f55fbf0a5c058306225d131311e135379d82ad0c94c33738ec75b9a179db9c"
URL = os.environ.get("MODELYARD_SAMPLE_URL",
                     "https://raw.githubusercontent.com/IBM/employee-attrition-aif360/master/data/emp_attrition.csv")
REPO = Path(__file__).resolve().parents[2]
CANDIDATES = [os.environ.get("MODELYARD_SAMPLE_DATA"), REPO.parent / "shared" / "data" / "HR-Employee-Attrition.csv"]
CACHE = Path.home() / ".cache" / "modelyard" / "HR-Employee-Attrition.csv"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    for candidate in CANDIDATES:
        if candidate and Path(candidate).is_file():
            print(Path(candidate).resolve())
            return
    if CACHE.is_file() and sha256(CACHE) == SHA256:
        print(CACHE)
        return
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    partial = CACHE.with_suffix(".part")
    try:
        urllib.request.urlretrieve(URL, partial)
    except OSError as error:
        sys.exit(f"cannot download the sample data from {URL}: {error}; set MODELYARD_SAMPLE_DATA to a local copy")
    if sha256(partial) != SHA256:
        partial.unlink()
        sys.exit(f"the file at {URL} does not have the expected sha256 {SHA256}; "
                 "set MODELYARD_SAMPLE_DATA to a local copy of HR-Employee-Attrition.csv")
    partial.rename(CACHE)
    print(CACHE)


if __name__ == "__main__":
    main()
