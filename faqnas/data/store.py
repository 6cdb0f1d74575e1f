"""A prepared dataset in memory (`PreparedData`) and on disk (``data.npz``
and its description ``data.json``)."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass

import numpy as np

from faqnas.data.registry import DatasetError
from faqnas.files import atomic_write

ARRAY_KEYS = ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")
# The standardisation fitted on the training split: raw features x map to
# (x - feature_mean) / feature_scale, as an exported model applies them.
SCALER_KEYS = ("feature_mean", "feature_scale")
# Which rows of the source each split holds (for MNIST, rows of the file the
# split was drawn from), so a split can be traced back to the raw data.
ROW_KEYS = ("rows_train", "rows_val", "rows_test")


@dataclass
class PreparedData:
    """A dataset split into training, validation and test samples, standardised.

    The search trains on ``train`` and selects on ``val``; ``test`` is held
    out for the final re-training (empty under the paper's protocol, which
    has no test split). Features are standardised with training statistics.
    """

    name: str
    X_train: np.ndarray  # float32, (n_train, n_features)
    y_train: np.ndarray  # int64, values in 0..n_classes-1
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray  # (0, n_features) when there is no test split
    y_test: np.ndarray
    feature_mean: np.ndarray  # float64, (n_features,)
    feature_scale: np.ndarray
    rows_train: np.ndarray  # int64 row numbers in the source
    rows_val: np.ndarray
    rows_test: np.ndarray
    feature_names: list[str] | None
    class_names: list[str]
    protocol: str

    @property
    def n_features(self) -> int:
        return int(self.X_train.shape[1])

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    def sha256(self) -> str:
        """Digest of the split arrays with dtypes and shapes: equal digest, equal data."""
        h = hashlib.sha256()
        for key in ARRAY_KEYS:
            arr = np.ascontiguousarray(getattr(self, key))
            h.update(f"{key}:{arr.dtype.str}:{arr.shape};".encode())
            h.update(arr.tobytes())
        return h.hexdigest()

    def describe(self) -> dict:
        """What ``data.json`` holds: shapes, classes, split sizes and the hash."""
        counts = {
            split: np.bincount(y, minlength=self.n_classes).tolist()
            for split, y in (("train", self.y_train), ("val", self.y_val), ("test", self.y_test))
        }
        return {
            "name": self.name,
            "n_features": self.n_features,
            "n_classes": self.n_classes,
            "n_train": int(len(self.y_train)),
            "n_val": int(len(self.y_val)),
            "n_test": int(len(self.y_test)),
            "protocol": self.protocol,
            "class_names": list(self.class_names),
            "feature_names": None if self.feature_names is None else list(self.feature_names),
            "class_counts": counts,
            "sha256": self.sha256(),
        }


def save_prepared(
    prepared: PreparedData, npz_path: str | os.PathLike, json_path: str | os.PathLike
) -> None:
    """Write the arrays (``.npz``; names as JSON text, so loading needs no
    pickle) and the description (``data.json``, `PreparedData.describe`)."""
    meta = {
        "name": prepared.name,
        "feature_names": prepared.feature_names,
        "class_names": prepared.class_names,
        "protocol": prepared.protocol,
    }
    arrays = {key: getattr(prepared, key) for key in (*ARRAY_KEYS, *SCALER_KEYS, *ROW_KEYS)}
    atomic_write(npz_path, lambda fh: np.savez(fh, meta=np.array(json.dumps(meta)), **arrays))
    text = json.dumps(prepared.describe(), indent=2) + "\n"
    atomic_write(json_path, lambda fh: fh.write(text.encode()))


def load_prepared(npz_path: str | os.PathLike) -> PreparedData:
    """A dataset written by `save_prepared`.

    Raises:
        DatasetError: the file is missing, corrupt or not a prepared dataset.
    """
    try:
        with np.load(npz_path, allow_pickle=False) as npz:
            meta = json.loads(str(npz["meta"]))
            arrays = {key: npz[key] for key in (*ARRAY_KEYS, *SCALER_KEYS, *ROW_KEYS)}
    except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DatasetError(f"{npz_path}: not a prepared dataset: {exc}") from exc
    return PreparedData(**meta, **arrays)
