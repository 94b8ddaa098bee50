"""SMOTE: synthetic rows of the minority class, each on the segment between a minority row and one of
its nearest minority neighbours.

For every minority row, ``smote_percentage / 100`` new rows (the percentage is a multiple of 100):
numeric features are ``x + u * (neighbour - x)`` with ``u`` uniform in [0, 1) from
``numpy.random.default_rng(seed)``; other columns are the row's own. Neighbours are found on the
numeric features scaled to [0, 1]. The output is the input's rows followed by the new ones.
"""

from __future__ import annotations

import numpy as np

from modelyard.errors import InvalidInput

from modelyard.designer._columns import NUMERIC, require_columns, schema_of
from modelyard.designer._registry import column, module, parameter, port, same_schema


@module("smote", "SMOTE", "Data Transformation",
        "Adds synthetic rows of the least frequent label value (Synthetic Minority Oversampling Technique).",
        inputs=[port("samples", "Samples")], outputs=[port("table", "Table")],
        parameters=[column("label_column", "Label column", columns_of="samples"),
                    parameter("integer", "smote_percentage", "SMOTE percentage", 100, minimum=0),
                    parameter("integer", "number_of_nearest_neighbors", "Number of nearest neighbors", 1, minimum=1),
                    parameter("integer", "random_seed", "Random seed", 0, minimum=0)],
        schema=same_schema("samples"))
def smote(samples, *, label_column, smote_percentage, number_of_nearest_neighbors, random_seed):
    import pandas as pd
    from sklearn.neighbors import NearestNeighbors

    schema = schema_of(samples)
    require_columns([label_column], schema, "label_column")
    if samples[label_column].isna().all():
        raise InvalidInput(f"label column '{label_column}' has no values to oversample")
    if smote_percentage % 100:
        raise InvalidInput(f"SMOTE percentage {smote_percentage} is not a multiple of 100; give 100, 200, ...")
    minority_value = samples[label_column].value_counts().idxmin()
    minority = samples[samples[label_column] == minority_value]
    numeric = [name for name in samples.columns if schema[name] in NUMERIC and name != label_column]
    if not numeric:
        raise InvalidInput("SMOTE interpolates numeric features, and the table has none besides the label")
    if minority[numeric].isna().any().any():
        raise InvalidInput("SMOTE needs numeric features without missing values; clean them with Clean Missing Data")
    if len(minority) <= number_of_nearest_neighbors:
        raise InvalidInput(f"the minority class '{minority_value}' has {len(minority)} rows, too few for "
                           f"{number_of_nearest_neighbors} nearest neighbours; lower the number of neighbours")
    values = minority[numeric].to_numpy(dtype=float)
    spread = np.ptp(values, axis=0)
    scaled = (values - values.min(axis=0)) / np.where(spread > 0, spread, 1)
    _, neighbours = NearestNeighbors(n_neighbors=number_of_nearest_neighbors + 1).fit(scaled).kneighbors(scaled)
    rng = np.random.default_rng(random_seed)
    rows = np.repeat(np.arange(len(minority)), smote_percentage // 100)
    chosen = neighbours[rows, rng.integers(1, number_of_nearest_neighbors + 1, size=len(rows))]
    gaps = rng.random((len(rows), 1))
    synthetic = minority.iloc[rows].reset_index(drop=True)
    mixed = values[rows] + gaps * (values[chosen] - values[rows])
    for i, name in enumerate(numeric):
        synthetic[name] = mixed[:, i].astype(float)
    return pd.concat([samples, synthetic], ignore_index=True)
