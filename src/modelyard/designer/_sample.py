"""Split Data and Partition and Sample: rows into two tables, or a sample of them.

Row counts are exact: the first output gets ``round(fraction * n)`` rows (halves round up), and with
stratification each stratum (missing values are one stratum) gives ``round(fraction * n_stratum)``.
A randomized pick is a permutation from ``numpy.random.default_rng(seed)``; the outputs keep the
input's row order either way.
"""

from __future__ import annotations

import math
import re

import numpy as np

from modelyard.errors import InvalidInput

from modelyard.designer._columns import require_columns, schema_of
from modelyard.designer._registry import column, enum, module, parameter, port, same_schema

CATEGORY = "Data Transformation"
SPLIT_MODES = ["Split Rows", "Regular Expression", "Relative Expression"]
# Azure's expressions start with a column name in \"quotes\" (the backslash is optional here)
_REGEX = re.compile(r'^\s*\\?"(?P<column>[^"]+)"\s?(?P<pattern>.*)$', re.DOTALL)
_CLAUSE = re.compile(r'^\s*\\?"(?P<column>[^"]+)"\s*(?P<op><=|>=|<>|!=|==|=|<|>)\s*(?P<value>.+?)\s*$')


def exact_count(fraction: float, rows: int) -> int:
    return int(math.floor(fraction * rows + 0.5))


def pick_rows(frame, fraction: float, randomized: bool, seed: int, strata=None) -> np.ndarray:
    """A boolean mask choosing ``exact_count(fraction, n)`` rows (per stratum when ``strata`` is given)."""
    rng = np.random.default_rng(seed)
    chosen = np.zeros(len(frame), dtype=bool)
    groups = [np.arange(len(frame))] if strata is None else [
        np.flatnonzero(codes == code) for codes in [strata.astype("category").cat.codes.to_numpy()]
        for code in np.unique(codes)]
    for positions in groups:
        order = rng.permutation(positions) if randomized else positions
        chosen[order[:exact_count(fraction, len(positions))]] = True
    return chosen


def _expression_column(match, frame, parameter_name: str) -> str:
    name = match["column"]
    require_columns([name], schema_of(frame), parameter_name)
    return name


def _regex_mask(frame, expression: str):
    match = _REGEX.match(expression or "")
    if match is None:
        raise InvalidInput(f"regular expression {expression!r} does not start with a column name in quotes; write "
                           'e.g. \\"Department" ^Sales')
    name = _expression_column(match, frame, "regular_expression")
    try:
        pattern = re.compile(match["pattern"])
    except re.error as error:
        raise InvalidInput(f"regular expression {match['pattern']!r} is invalid: {error}") from None
    return frame[name].map(lambda v: v is not None and v == v and bool(pattern.search(str(v)))).to_numpy(bool)


_OPERATORS = {"<": np.less, ">": np.greater, "<=": np.less_equal, ">=": np.greater_equal, "=": np.equal,
              "==": np.equal, "!=": np.not_equal, "<>": np.not_equal}


def _literal(text: str, series):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if series.dtype.kind in "iufb":
        try:
            return float(text)
        except ValueError:
            raise InvalidInput(f"relative expression: {text!r} is not a number, and column '{series.name}' is "
                               "numeric") from None
    return text


def _relative_mask(frame, expression: str):
    """Clauses like ``\\"Age" > 40`` joined by && and ||, read left to right."""
    parts = re.split(r"(&&|\|\|)", expression or "")
    mask, joiner = None, None
    for part in parts:
        if part in ("&&", "||"):
            joiner = part
            continue
        match = _CLAUSE.match(part)
        if match is None:
            raise InvalidInput(f"relative expression {part.strip()!r} is not a comparison; write e.g. "
                               '\\"Age" > 40 && \\"Gender" == "Male"')
        series = frame[_expression_column(match, frame, "relative_expression")]
        clause = np.asarray(_OPERATORS[match["op"]](series.to_numpy(), _literal(match["value"], series)), dtype=bool)
        mask = clause if mask is None else (mask & clause if joiner == "&&" else mask | clause)
    return mask


def _strata(dataset, stratified: str, key_column: str | None):
    if stratified != "True":
        return None
    require_columns([key_column], schema_of(dataset), "stratification_key_column")
    return dataset[key_column]


def _split_schema(inputs, params):
    """Both outputs keep the input's schema; the columns the expressions or strata name must exist."""
    from modelyard.designer._columns import empty_frame

    schema = inputs.get("dataset")
    if schema is not None and params["splitting_mode"] != "Split Rows":
        split_data(empty_frame(schema), **params)
    return same_schema()(inputs, params)


@module("split_data", "Split Data", CATEGORY,
        "Splits rows into two tables: a fraction of rows (randomized, seeded, stratified), or the rows a "
        "regular expression or relative expression picks.",
        inputs=[port("dataset", "Dataset")],
        outputs=[port("results_dataset1", "Results dataset1"), port("results_dataset2", "Results dataset2")],
        parameters=[enum("splitting_mode", "Splitting mode", SPLIT_MODES),
                    parameter("number", "fraction_of_rows_in_the_first_output_dataset",
                              "Fraction of rows in the first output dataset", 0.5, minimum=0, maximum=1,
                              enabled_when={"splitting_mode": ["Split Rows"]}),
                    parameter("boolean", "randomized_split", "Randomized split", True,
                              enabled_when={"splitting_mode": ["Split Rows"]}),
                    parameter("integer", "random_seed", "Random seed", 0, minimum=0,
                              enabled_when={"splitting_mode": ["Split Rows"]}),
                    enum("stratified_split", "Stratified split", ["False", "True"],
                         enabled_when={"splitting_mode": ["Split Rows"]}),
                    column("stratification_key_column", "Stratification key column",
                           enabled_when={"splitting_mode": ["Split Rows"], "stratified_split": ["True"]}),
                    parameter("string", "regular_expression", "Regular expression", columns_of="dataset",
                              enabled_when={"splitting_mode": ["Regular Expression"]}),
                    parameter("string", "relative_expression", "Relational expression", columns_of="dataset",
                              enabled_when={"splitting_mode": ["Relative Expression"]})],
        schema=_split_schema)
def split_data(dataset, *, splitting_mode, fraction_of_rows_in_the_first_output_dataset=0.5, randomized_split=True,
               random_seed=0, stratified_split="False", stratification_key_column=None, regular_expression=None,
               relative_expression=None):
    if splitting_mode == "Regular Expression":
        mask = _regex_mask(dataset, regular_expression)
    elif splitting_mode == "Relative Expression":
        mask = _relative_mask(dataset, relative_expression)
    else:
        strata = _strata(dataset, stratified_split, stratification_key_column)
        mask = pick_rows(dataset, fraction_of_rows_in_the_first_output_dataset, randomized_split, random_seed, strata)
    return dataset[mask], dataset[~mask]


@module("partition_and_sample", "Partition and Sample", CATEGORY,
        "A sample of rows: a fraction (seeded, optionally stratified) or the first N rows.",
        inputs=[port("dataset", "Dataset")], outputs=[port("output_dataset", "OutputDataset")],
        parameters=[enum("partition_or_sample_mode", "Partition or sample mode", ["Sampling", "Head"]),
                    parameter("number", "rate_of_sampling", "Rate of sampling", 0.01, minimum=0, maximum=1,
                              enabled_when={"partition_or_sample_mode": ["Sampling"]}),
                    parameter("integer", "random_seed_for_sampling", "Random seed for sampling", 0, minimum=0,
                              enabled_when={"partition_or_sample_mode": ["Sampling"]}),
                    enum("stratified_split_for_sampling", "Stratified split for sampling", ["False", "True"],
                         enabled_when={"partition_or_sample_mode": ["Sampling"]}),
                    column("stratification_key_column", "Stratification key column",
                           enabled_when={"partition_or_sample_mode": ["Sampling"],
                                         "stratified_split_for_sampling": ["True"]}),
                    parameter("integer", "number_of_rows_to_select", "Number of rows to select", 10, minimum=0,
                              enabled_when={"partition_or_sample_mode": ["Head"]})],
        schema=same_schema())
def partition_and_sample(dataset, *, partition_or_sample_mode, rate_of_sampling=0.01, random_seed_for_sampling=0,
                         stratified_split_for_sampling="False", stratification_key_column=None,
                         number_of_rows_to_select=10):
    if partition_or_sample_mode == "Head":
        return dataset.head(number_of_rows_to_select)
    strata = _strata(dataset, stratified_split_for_sampling, stratification_key_column)
    return dataset[pick_rows(dataset, rate_of_sampling, True, random_seed_for_sampling, strata)]

