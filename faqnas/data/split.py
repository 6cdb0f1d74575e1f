"""Splitting and standardising: stratified train/validation split, and
features standardised with statistics of the training split only, so no
information leaks from validation into training."""

from __future__ import annotations

import numpy as np

from faqnas.data.registry import DatasetError
from faqnas.data.store import PreparedData

def split_and_finish(name, X, y, feature_names, class_names, options, seed):
    check_class_count(np.unique(y), name)
    train_idx, val_idx = stratified_split(y, options["val_fraction"], seed, name, class_names)
    return finish(
        name, X[train_idx], y[train_idx], X[val_idx], y[val_idx], feature_names, class_names
    )


def stratified_split(
    y: np.ndarray,
    val_fraction: float,
    seed: int,
    name: str = "dataset",
    class_names: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted (train, val) indices with every class in both, in proportion.

    Done with numpy rather than scikit-learn so that any 63-bit seed from
    derive_seed works and the draw does not change with sklearn versions.
    """
    rng = np.random.default_rng(seed)
    train, val = [], []
    for cls in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == cls))
        label = class_names[cls] if class_names is not None else cls
        if len(idx) < 2:
            raise DatasetError(
                f"dataset {name!r}: class {label!r} has {len(idx)} sample; a stratified "
                "split needs at least 2 per class (one for training, one for validation)"
            )
        n_val = min(max(round(val_fraction * len(idx)), 1), len(idx) - 1)
        val.append(idx[:n_val])
        train.append(idx[n_val:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(val))


def standardise(X_train: np.ndarray, X_val: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Zero mean, unit variance per feature, from training statistics only."""
    mean = X_train.mean(axis=0, dtype=np.float64)
    std = X_train.std(axis=0, dtype=np.float64)
    # A constant column (e.g. MNIST's border pixels) has std 0, or rounding
    # noise near 0: leave it merely centred instead of dividing by ~0.
    constant = X_train.max(axis=0) == X_train.min(axis=0)
    scale = np.where(constant, 1.0, std)
    # Apply in the input dtype so MNIST stays float32 instead of doubling memory.
    mean, scale = mean.astype(X_train.dtype), scale.astype(X_train.dtype)
    return (
        ((X_train - mean) / scale).astype(np.float32),
        ((X_val - mean) / scale).astype(np.float32),
    )


def finish(name, X_train, y_train, X_val, y_val, feature_names, class_names) -> PreparedData:
    X_train, X_val = standardise(X_train, X_val)
    return PreparedData(
        name=name,
        X_train=X_train,
        y_train=np.asarray(y_train, dtype=np.int64),
        X_val=X_val,
        y_val=np.asarray(y_val, dtype=np.int64),
        feature_names=feature_names,
        class_names=class_names,
    )


def check_class_count(classes: np.ndarray, name: str) -> None:
    if len(classes) < 2:
        raise DatasetError(
            f"dataset {name!r}: needs at least 2 classes, found {len(classes)} "
            f"({[str(c) for c in classes]})"
        )
