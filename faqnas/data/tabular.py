"""Tabular datasets: scikit-learn's bundled tables and user CSV files.

scikit-learn is imported only inside its loader: per-genome training jobs
import the prepared data and must not pay its import time.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from faqnas.data.registry import DatasetError
from faqnas.data.split import split_and_finish
from faqnas.data.store import PreparedData

def load_sklearn(name: str, options: dict) -> PreparedData:
    """scikit-learn's bundled table ``name``, split as `split_and_finish` does."""
    from sklearn import datasets  # lazy: see module docstring

    bunch = getattr(datasets, f"load_{name}")()
    X = np.asarray(bunch.data, dtype=np.float64)
    y = np.asarray(bunch.target, dtype=np.int64)
    feature_names = [str(f) for f in bunch.feature_names]
    class_names = [str(c) for c in bunch.target_names]
    return split_and_finish(name, X, y, feature_names, class_names, options)


def load_csv(name: str, options: dict) -> PreparedData:
    """The CSV file ``options["csv"]`` with labels in ``options["label_column"]``,
    split as `split_and_finish` does.

    Raises:
        DatasetError: naming the file and the problem (missing, ragged, a
            missing label column, non-numeric or missing values, too few classes).
    """
    path = Path(options["csv"])
    label_column = options.get("label_column")
    if not label_column:
        raise DatasetError(f"dataset {name!r}: option 'label_column' is required with 'csv'")
    header, rows = _read_csv_rows(path)
    if label_column not in header:
        raise DatasetError(
            f"{path}: label column {label_column!r} not found; columns present: "
            + ", ".join(repr(c) for c in header)
        )
    label_idx = header.index(label_column)
    feature_idx = [i for i in range(len(header)) if i != label_idx]
    if not feature_idx:
        raise DatasetError(f"{path}: no feature columns besides {label_column!r}")
    columns = list(zip(*rows))
    labels = [v.strip() for v in columns[label_idx]]
    X = _numeric_features(path, header, feature_idx, columns, labels, label_column)
    class_names = sorted(set(labels), key=_label_sort_key(labels))
    lookup = {c: i for i, c in enumerate(class_names)}
    y = np.array([lookup[v] for v in labels], dtype=np.int64)
    feature_names = [header[i] for i in feature_idx]
    return split_and_finish(name, X, y, feature_names, class_names, options)


def _read_csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    if not path.is_file():
        raise DatasetError(f"CSV file {path} does not exist")
    # utf-8-sig: spreadsheets often prepend a byte-order mark to the header.
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader, [])]
        rows = [row for row in reader if row]
    if not header or not rows:
        raise DatasetError(f"{path}: needs a header line and at least one data row")
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        raise DatasetError(f"{path}: duplicated column names {duplicated}")
    for line, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise DatasetError(
                f"{path}: line {line} has {len(row)} fields, the header has {len(header)}"
            )
    return header, rows


def _numeric_features(path, header, feature_idx, columns, labels, label_column):
    """Feature matrix, after checking for missing and non-numeric cells."""
    missing: dict[str, int] = {}
    non_numeric: dict[str, str] = {}  # column -> first offending cell
    values = []
    for i in feature_idx:
        col = np.array([_cell_value(cell) for cell in columns[i]], dtype=object)
        texts = [cell for cell, v in zip(columns[i], col) if v is None]
        if texts:
            non_numeric[header[i]] = texts[0]
            continue
        col = col.astype(np.float64)
        n_missing = int(np.count_nonzero(~np.isfinite(col)))
        if n_missing:
            missing[header[i]] = n_missing
        values.append(col)
    n_missing_labels = sum(1 for v in labels if _is_nan(_cell_value(v)))
    if n_missing_labels:
        missing[label_column] = n_missing_labels
    if missing:
        raise DatasetError(
            f"{path}: empty, NaN or infinite values in "
            + ", ".join(f"{c!r} ({n} rows)" for c, n in missing.items())
        )
    if non_numeric:
        raise DatasetError(
            f"{path}: feature columns must be numeric; non-numeric: "
            + ", ".join(f"{c!r} (e.g. {v!r})" for c, v in non_numeric.items())
        )
    return np.column_stack(values)


def _cell_value(cell: str) -> float | None:
    """The cell as a float (NaN when empty), or None when it is text."""
    if not cell.strip():
        return math.nan
    try:
        return float(cell)
    except ValueError:
        return None


def _is_nan(value: float | None) -> bool:
    return value is not None and math.isnan(value)


def _label_sort_key(labels: list[str]):
    # Numeric labels sort by value (2 before 10); anything else sorts as text.
    return float if all(_cell_value(v) is not None for v in set(labels)) else str
