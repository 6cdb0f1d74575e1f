"""Splitting and standardising.

Tabular data is split in two stratified steps: first the test split
(``test_fraction``, held out from the search), then the validation split
(``val_fraction`` of the rest). Both draws are seeded from ``split_seed`` and
the dataset's name only, so every search of a dataset, whatever its run
seed, shares one split. Features are standardised with statistics of the
training split only, so nothing leaks from validation or test into training.
"""

from __future__ import annotations

import numpy as np

from faqnas.data.registry import HELD_OUT, DatasetError
from faqnas.data.store import PreparedData
from faqnas.search.seeds import derive_seed


def split_and_finish(name, X, y, feature_names, class_names, options) -> PreparedData:
    """Split tabular data as ``options`` say and standardise it.

    Args:
        name: the dataset's name (part of the split seeds).
        X, y: all samples and their class indices.
        feature_names, class_names: names of the columns and classes.
        options: ``protocol``, ``split_seed``, ``test_fraction``, ``val_fraction``.

    Raises:
        DatasetError: fewer than two classes, or a class too small to split.
    """
    check_class_count(np.unique(y), name)
    seed = options["split_seed"]
    rest, test = np.arange(len(y)), np.empty(0, dtype=np.int64)
    if options["protocol"] == HELD_OUT:
        rest, test = stratified_split(
            y, options["test_fraction"], derive_seed(seed, name, "test"), name, class_names
        )
    train, val = stratified_split(
        y[rest], options["val_fraction"], derive_seed(seed, name, "val"), name, class_names
    )
    train, val = rest[train], rest[val]
    return finish(
        name, (X[train], y[train], train), (X[val], y[val], val), (X[test], y[test], test),
        feature_names, class_names, options["protocol"],
    )


def stratified_split(
    y: np.ndarray,
    fraction: float,
    seed: int,
    name: str = "dataset",
    class_names: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted (kept, held-out) indices with every class on both sides, in proportion.

    Done with numpy rather than scikit-learn so that any 63-bit seed from
    derive_seed works and the draw does not change with sklearn versions.

    Raises:
        DatasetError: a class has fewer than 2 samples.
    """
    rng = np.random.default_rng(seed)
    kept, held = [], []
    for cls in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == cls))
        label = class_names[cls] if class_names is not None else cls
        if len(idx) < 2:
            raise DatasetError(
                f"dataset {name!r}: class {label!r} has {len(idx)} sample left to split; "
                "a stratified split needs at least 2 per class at each step (training, "
                "validation and, under the held_out protocol, test)"
            )
        n_held = min(max(round(fraction * len(idx)), 1), len(idx) - 1)
        held.append(idx[:n_held])
        kept.append(idx[n_held:])
    return np.sort(np.concatenate(kept)), np.sort(np.concatenate(held))


def standardisation(X_train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature (mean, scale) of the training samples, in float64.

    A constant column (e.g. MNIST's border pixels) has std 0, or rounding
    noise near 0: its scale is 1, so it is merely centred.
    """
    mean = X_train.mean(axis=0, dtype=np.float64)
    std = X_train.std(axis=0, dtype=np.float64)
    constant = X_train.max(axis=0) == X_train.min(axis=0)
    return mean, np.where(constant, 1.0, std)


def standardise(X: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``(X - mean) / scale`` as float32, computed in X's dtype (MNIST stays
    float32 instead of doubling memory)."""
    dtype = X.dtype if X.dtype in (np.float32, np.float64) else np.float64
    return ((X.astype(dtype, copy=False) - mean.astype(dtype)) / scale.astype(dtype)).astype(
        np.float32
    )


def finish(name, train, val, test, feature_names, class_names, protocol) -> PreparedData:
    """The prepared dataset from (X, y, source rows) of each split,
    standardised with the training split's statistics."""
    mean, scale = standardisation(train[0])
    return PreparedData(
        name=name,
        X_train=standardise(train[0], mean, scale),
        y_train=np.asarray(train[1], dtype=np.int64),
        X_val=standardise(val[0], mean, scale),
        y_val=np.asarray(val[1], dtype=np.int64),
        X_test=standardise(test[0], mean, scale),
        y_test=np.asarray(test[1], dtype=np.int64),
        feature_mean=mean,
        feature_scale=scale,
        rows_train=np.asarray(train[2], dtype=np.int64),
        rows_val=np.asarray(val[2], dtype=np.int64),
        rows_test=np.asarray(test[2], dtype=np.int64),
        feature_names=feature_names,
        class_names=class_names,
        protocol=protocol,
    )


def check_class_count(classes: np.ndarray, name: str) -> None:
    """Raise DatasetError unless there are at least two classes."""
    if len(classes) < 2:
        raise DatasetError(
            f"dataset {name!r}: needs at least 2 classes, found {len(classes)} "
            f"({[str(c) for c in classes]})"
        )
