"""The benchmark's datasets: all ship inside installed packages (scikit-learn, statsmodels) plus the HR CSV.

Run with the peers' interpreter (it has statsmodels): ``python datasets.py OUT_DIR HR_CSV`` writes
``OUT_DIR/<name>/{train,test}.parquet`` and ``meta.json`` with fixed 75/25 splits (seed 0,
stratified for classification), so every system sees identical rows.
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


def load_all(hr_csv: str) -> dict[str, tuple[str, str, pd.DataFrame]]:
    fair = _sm("fair")
    fair["had_affair"] = (fair.pop("affairs") > 0).map({True: "yes", False: "no"})
    anes = _sm("anes96").drop(columns=["logpopul"])
    anes["vote"] = anes["vote"].map({0.0: "Clinton", 1.0: "Dole"})
    randhie = _sm("randhie")
    grunfeld = _sm("grunfeld")
    grunfeld["firm"] = grunfeld["firm"].astype(str)
    return {
        "hr_attrition": ("classification", "Attrition", pd.read_csv(hr_csv, encoding="utf-8-sig")),
        "breast_cancer": ("classification", "target", _sk(skd.load_breast_cancer, ["malignant", "benign"])),
        "wine": ("classification", "target", _sk(skd.load_wine, ["class_0", "class_1", "class_2"])),
        "iris": ("classification", "target", _sk(skd.load_iris, ["setosa", "versicolor", "virginica"])),
        "digits": ("classification", "target", _sk(skd.load_digits)),
        "fair_affairs": ("classification", "had_affair", fair),
        "anes96_vote": ("classification", "vote", anes),
        "diabetes": ("regression", "target", _sk(skd.load_diabetes)),
        "grunfeld_invest": ("regression", "invest", grunfeld),
        "randhie_visits": ("regression", "mdvis", randhie),
    }


def main(out: str, hr_csv: str) -> None:
    root = Path(out)
    for name, (task, target, frame) in load_all(hr_csv).items():
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        stratify = frame[target] if task == "classification" else None
        train, test = train_test_split(frame, test_size=0.25, random_state=0, stratify=stratify)
        train.reset_index(drop=True).to_parquet(folder / "train.parquet")
        test.reset_index(drop=True).to_parquet(folder / "test.parquet")
        (folder / "meta.json").write_text(json.dumps({"task": task, "target": target, "rows": len(frame),
                                                      "columns": frame.shape[1] - 1}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
