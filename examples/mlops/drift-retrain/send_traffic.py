"""Score HR rows through an online endpoint's key route, optionally drifted (older, better paid, and some
employees travelling weekly, a category the training data never had).

    python send_traffic.py --url http://127.0.0.1:PORT/api/v1/service/ibm-attrition-aks/score --key KEY --csv HR.csv --drift
"""

from __future__ import annotations

import argparse

import httpx
import numpy as np
import pandas as pd

NOT_MODEL_INPUTS = ["Attrition", "EmployeeCount", "EmployeeNumber", "Over18", "StandardHours"]


def sample(csv: str, rows: int, drift: bool, seed: int) -> pd.DataFrame:
    hr = pd.read_csv(csv, encoding="utf-8-sig")
    rng = np.random.default_rng(seed)
    drawn = hr.iloc[rng.integers(0, len(hr), rows)].reset_index(drop=True)
    drawn = drawn.drop(columns=[c for c in NOT_MODEL_INPUTS if c in drawn.columns])
    if drift:
        drawn["Age"] += 5
        drawn["MonthlyIncome"] += 3000
        drawn.loc[rng.random(rows) < 0.15, "BusinessTravel"] = "Travel_Weekly"
    return drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the endpoint's scoring URL")
    parser.add_argument("--key", help="the endpoint's key (modelyard online-endpoint get-credentials)")
    parser.add_argument("--csv", required=True, help="the HR attrition CSV")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=100, help="rows per request")
    parser.add_argument("--drift", action="store_true", help="shift Age, MonthlyIncome and BusinessTravel")
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    headers = {"Authorization": f"Bearer {args.key}"} if args.key else {}
    rows = sample(args.csv, args.rows, args.drift, args.seed)
    with httpx.Client(timeout=60) as client:
        for start in range(0, len(rows), args.batch):
            batch = rows.iloc[start:start + args.batch].to_dict(orient="records")
            client.post(args.url, json={"data": batch}, headers=headers).raise_for_status()
    print(f"scored {len(rows)} {'drifted ' if args.drift else ''}rows in batches of {args.batch}")


if __name__ == "__main__":
    main()
