"""The benchmark's datasets: all ship inside installed packages (scikit-learn, statsmodels) plus the HR CSV.

Run with the peers' interpreter (it has statsmodels): ``python datasets.py OUT_DIR HR_CSV [NAMES] [SPLITS]``
writes ``OUT_DIR/<name>/{train,test}.parquet`` and ``meta.json`` with a fixed 75/25 split (seed 0,
stratified for classification), so every system sees identical rows; with SPLITS > 1 also
``OUT_DIR/<name>@<seed>/`` for the splits of seeds 1 .. SPLITS-1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
from sklearn import datasets as skd
from sklearn.model_selection import train_test_split


def _sk(loader, target_names=None):
    frame = loader(as_frame=True).frame
    if target_names is not None:
        frame["target"] = frame["target"].map(dict(enumerate(target_names)))
    return frame


def _sm(name):
    import statsmodels.api as sm

    return getattr(sm.datasets, name).load_pandas().data


def _fair():
    fair = _sm("fair")
    fair["had_affair"] = (fair.pop("affairs") > 0).map({True: "yes", False: "no"})
    return fair


def _anes():
    anes = _sm("anes96").drop(columns=["logpopul"])
    anes["vote"] = anes["vote"].map({0.0: "Clinton", 1.0: "Dole"})
    return anes


def _grunfeld():
    grunfeld = _sm("grunfeld")
    grunfeld["firm"] = grunfeld["firm"].astype(str)
    return grunfeld


def _cover_like(rows: int = 60000):
    """60,000 rows, 7 classes coded 1-7 (integers), a handful of numeric and ordinal columns: the shape of
    the covertype table (which needs a download) without the download."""
    import numpy as np

    X, y = skd.make_classification(n_samples=rows, n_features=10, n_informative=7, n_redundant=1, n_classes=7,
                                   n_clusters_per_class=3, class_sep=1.0, flip_y=0.02, random_state=0)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(10)])
    frame["x8"] = np.round(frame["x8"] * 2).astype(int)          # ordinal
    frame["x9"] = np.round(frame["x9"]).astype(int)
    frame["cover_type"] = y + 1
    return frame


def _int_binary(rows: int = 8000):
    """Integer 0/1 labels with numeric and string columns and missing values (the label type that crashed jobs)."""
    import numpy as np

    rng = np.random.default_rng(0)
    X, y = skd.make_classification(n_samples=rows, n_features=8, n_informative=5, weights=[0.7], flip_y=0.05,
                                   random_state=1)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(8)])
    frame["region"] = rng.choice(["north", "south", "east", "west"], rows)
    frame.loc[frame["region"] == "north", "f0"] += 0.8
    frame.loc[rng.random(rows) < 0.05, "f1"] = np.nan
    frame["churned"] = y.astype(int)
    return frame


def _breast_cancer_int():
    return _sk(skd.load_breast_cancer)     # labels 0/1 as integers


# name -> (task, target, loader); the statsmodels ones need the peers' interpreter
TABLES = {
    "hr_attrition": ("classification", "Attrition", None),
    "breast_cancer": ("classification", "target", lambda: _sk(skd.load_breast_cancer, ["malignant", "benign"])),
    "breast_cancer_int": ("classification", "target", _breast_cancer_int),
    "wine": ("classification", "target", lambda: _sk(skd.load_wine, ["class_0", "class_1", "class_2"])),
    "iris": ("classification", "target", lambda: _sk(skd.load_iris, ["setosa", "versicolor", "virginica"])),
    "digits": ("classification", "target", lambda: _sk(skd.load_digits)),   # integer labels 0-9
    "int_binary": ("classification", "churned", _int_binary),
    "cover_like_60k": ("classification", "cover_type", _cover_like),
    "fair_affairs": ("classification", "had_affair", _fair),
    "anes96_vote": ("classification", "vote", _anes),
    "diabetes": ("regression", "target", lambda: _sk(skd.load_diabetes)),
    "grunfeld_invest": ("regression", "invest", _grunfeld),
    "randhie_visits": ("regression", "mdvis", lambda: _sm("randhie")),
}


def split_folder(root: Path, name: str, seed: int) -> Path:
    return root / (name if seed == 0 else f"{name}@{seed}")


def main(out: str, hr_csv: str, names: str = "", splits: str = "1") -> None:
    """Write every table (or the comma-separated ``names``) and split that is not there yet."""
    root = Path(out)
    for name, (task, target, loader) in TABLES.items():
        folders = {seed: split_folder(root, name, seed) for seed in range(int(splits))}
        missing = [seed for seed, folder in folders.items() if not (folder / "meta.json").exists()]
        if (names and name not in names.split(",")) or not missing:
            continue
        frame = pd.read_csv(hr_csv, encoding="utf-8-sig") if loader is None else loader()
        stratify = frame[target] if task == "classification" else None
        for seed in missing:
            folder = folders[seed]
            folder.mkdir(parents=True, exist_ok=True)
            train, test = train_test_split(frame, test_size=0.25, random_state=seed, stratify=stratify)
            train.reset_index(drop=True).to_parquet(folder / "train.parquet")
            test.reset_index(drop=True).to_parquet(folder / "test.parquet")
            (folder / "meta.json").write_text(json.dumps({"task": task, "target": target, "rows": len(frame),
                                                          "columns": frame.shape[1] - 1, "split_seed": seed}))


if __name__ == "__main__":
    main(*sys.argv[1:5])
