"""Datasets: loading, validation, stratified split, standardisation, `.npz` I/O.

Sources are scikit-learn's bundled tables (iris, wine, breast_cancer, digits),
MNIST from its four original IDX files, and user CSV files. Everything ends up
as a :class:`PreparedData` whose features are standardised with statistics of
the training split only, so no information leaks from validation into training.

scikit-learn is imported only inside the loader that needs it: per-genome
training jobs import :func:`load_prepared` and must not pay its import time.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import math
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from faqnas.seeds import derive_seed

SKLEARN_DATASETS = ("iris", "wine", "breast_cancer", "digits")
BUILTIN_DATASETS = SKLEARN_DATASETS + ("mnist",)

DEFAULT_VAL_FRACTION = 0.2
DEFAULT_MNIST_ROOT = "data/mnist"

# Option keys each kind of source understands; anything else is a typo we
# would rather report than silently ignore.
_OPTION_KEYS = {
    "sklearn": {"val_fraction"},
    "mnist": {"root", "per_class", "val_per_class"},
    "csv": {"csv", "label_column", "val_fraction"},
}

MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "val_images": "t10k-images-idx3-ubyte",
    "val_labels": "t10k-labels-idx1-ubyte",
}

# IDX type codes -> big-endian numpy dtypes (the format stores data big-endian).
_IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_ARRAY_KEYS = ("X_train", "y_train", "X_val", "y_val")


class DatasetError(ValueError):
    """A dataset cannot be loaded or prepared; the message names file or dataset."""


@dataclass
class PreparedData:
    name: str
    X_train: np.ndarray  # float32, (n_train, n_features)
    y_train: np.ndarray  # int64, values in 0..n_classes-1
    X_val: np.ndarray
    y_val: np.ndarray
    feature_names: list[str] | None
    class_names: list[str]

    @property
    def n_features(self) -> int:
        return int(self.X_train.shape[1])

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    def sha256(self) -> str:
        """Digest of the four arrays with dtypes and shapes: equal digest, equal data."""
        h = hashlib.sha256()
        for key in _ARRAY_KEYS:
            arr = np.ascontiguousarray(getattr(self, key))
            h.update(f"{key}:{arr.dtype.str}:{arr.shape};".encode())
            h.update(arr.tobytes())
        return h.hexdigest()

    def summary(self) -> dict:
        counts = {
            split: np.bincount(y, minlength=self.n_classes).tolist()
            for split, y in (("train", self.y_train), ("val", self.y_val))
        }
        return {
            "name": self.name,
            "n_features": self.n_features,
            "n_classes": self.n_classes,
            "n_train": int(len(self.y_train)),
            "n_val": int(len(self.y_val)),
            "class_names": list(self.class_names),
            "feature_names": None if self.feature_names is None else list(self.feature_names),
            "class_counts": counts,
            "sha256": self.sha256(),
        }


# --------------------------------------------------------------------------- IDX


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Parse one IDX file (gzipped or not) into a native-endian array."""
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 4:
        raise DatasetError(f"{path}: not an IDX file (only {len(raw)} bytes)")
    zero1, zero2, code, ndim = raw[:4]
    if zero1 or zero2 or code not in _IDX_DTYPES or ndim == 0:
        magic = int.from_bytes(raw[:4], "big")
        raise DatasetError(
            f"{path}: bad IDX magic number {magic} (0x{magic:08x}); expected two zero "
            f"bytes, a type code in {sorted(_IDX_DTYPES)} and at least one dimension"
        )
    header_len = 4 + 4 * ndim
    if len(raw) < header_len:
        raise DatasetError(
            f"{path}: truncated IDX header: expected {header_len} bytes, got {len(raw)}"
        )
    dims = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = _IDX_DTYPES[code]
    expected = header_len + math.prod(dims) * dtype.itemsize
    if len(raw) != expected:
        problem = "truncated" if len(raw) < expected else "has trailing bytes"
        raise DatasetError(
            f"{path}: IDX file {problem}: header {dims} of {dtype.name} needs "
            f"{expected} bytes, file has {len(raw)}"
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header_len).reshape(dims)
    return data.astype(dtype.newbyteorder("="))


def _read_bytes(path: Path) -> bytes:
    """Whole file content, decompressed when it starts with the gzip magic."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(2)
            fh.seek(0)
            if head == b"\x1f\x8b":
                with gzip.GzipFile(fileobj=fh) as gz:
                    return gz.read()
            return fh.read()
    except (OSError, EOFError) as exc:  # BadGzipFile is an OSError
        raise DatasetError(f"{path}: cannot read: {exc}") from exc


# ------------------------------------------------------------------------- MNIST


def _find_mnist_file(root: Path, stem: str) -> Path:
    # torchvision keeps the raw files under root/MNIST/raw; accept both layouts.
    folders = [root, root / "MNIST" / "raw"]
    candidates = [folder / (stem + ext) for folder in folders for ext in ("", ".gz")]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise DatasetError(
        f"dataset 'mnist': file {stem!r} not found; looked for "
        + ", ".join(str(c) for c in candidates)
    )


def _read_mnist_pair(root: Path, images_key: str, labels_key: str):
    images_path = _find_mnist_file(root, MNIST_FILES[images_key])
    labels_path = _find_mnist_file(root, MNIST_FILES[labels_key])
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise DatasetError(
            f"{images_path}: expected 3-D unsigned-byte images, got "
            f"{images.ndim}-D {images.dtype.name}"
        )
    if labels.ndim != 1 or labels.dtype != np.uint8:
        raise DatasetError(
            f"{labels_path}: expected 1-D unsigned-byte labels, got "
            f"{labels.ndim}-D {labels.dtype.name}"
        )
    if len(images) != len(labels):
        raise DatasetError(
            f"{images_path} has {len(images)} images but {labels_path} has "
            f"{len(labels)} labels"
        )
    return images, labels, labels_path


def _maybe_subsample(X, y, options: dict, key: str, seed: int, what: str):
    """X, y cut to options[key] random samples per class (all when unset)."""
    per_class = _positive_int_option(options, key, "mnist")
    if per_class is None:
        return X, y
    # Own seed stream per option, so val_per_class never shifts the training draw.
    rng = np.random.default_rng(derive_seed(seed, "mnist", key))
    chosen = []
    for cls in np.unique(y):
        idx = np.flatnonzero(y == cls)
        if len(idx) < per_class:
            raise DatasetError(
                f"dataset 'mnist': {what} class {cls} has {len(idx)} images, "
                f"fewer than the {per_class} asked for"
            )
        chosen.append(rng.choice(idx, size=per_class, replace=False))
    keep = np.sort(np.concatenate(chosen))
    return X[keep], y[keep]


def _load_mnist(options: dict, seed: int) -> PreparedData:
    root = Path(options.get("root") or DEFAULT_MNIST_ROOT)
    if not root.is_dir():
        raise DatasetError(
            f"dataset 'mnist': folder {root} does not exist; it must hold "
            + ", ".join(f"{s}[.gz]" for s in MNIST_FILES.values())
        )
    X_tr, y_tr, _ = _read_mnist_pair(root, "train_images", "train_labels")
    X_va, y_va, va_labels_path = _read_mnist_pair(root, "val_images", "val_labels")
    if X_tr.shape[1:] != X_va.shape[1:]:
        raise DatasetError(
            f"dataset 'mnist' in {root}: {MNIST_FILES['val_images']} images are "
            f"{X_va.shape[1:]}, {MNIST_FILES['train_images']} images are {X_tr.shape[1:]}"
        )
    X_tr, y_tr = _maybe_subsample(X_tr, y_tr, options, "per_class", seed, "training")
    X_va, y_va = _maybe_subsample(X_va, y_va, options, "val_per_class", seed, "validation")
    classes = np.unique(y_tr)
    _check_class_count(classes, "mnist")
    unseen = np.setdiff1d(y_va, classes)
    if len(unseen):
        raise DatasetError(
            f"{va_labels_path}: labels {unseen.tolist()} never occur in the training images"
        )
    return _finish(
        "mnist",
        _flatten_scaled(X_tr),
        np.searchsorted(classes, y_tr),
        _flatten_scaled(X_va),
        np.searchsorted(classes, y_va),
        None,
        [str(c) for c in classes],
    )


def _flatten_scaled(images: np.ndarray) -> np.ndarray:
    # [0, 1] pixels as torchvision's ToTensor gives them, so the standardised
    # values match what a torchvision-based pipeline would feed the model.
    return images.reshape(len(images), -1).astype(np.float32) / np.float32(255)


# ----------------------------------------------------------------------- sklearn


def _load_sklearn(name: str, options: dict, seed: int) -> PreparedData:
    from sklearn import datasets  # lazy: see module docstring

    bunch = getattr(datasets, f"load_{name}")()
    X = np.asarray(bunch.data, dtype=np.float64)
    y = np.asarray(bunch.target, dtype=np.int64)
    feature_names = [str(f) for f in bunch.feature_names]
    class_names = [str(c) for c in bunch.target_names]
    return _split_and_finish(name, X, y, feature_names, class_names, options, seed)


# --------------------------------------------------------------------------- CSV


def _load_csv(name: str, options: dict, seed: int) -> PreparedData:
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
    return _split_and_finish(name, X, y, feature_names, class_names, options, seed)


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


# ------------------------------------------------------------ split, standardise


def _split_and_finish(name, X, y, feature_names, class_names, options, seed):
    _check_class_count(np.unique(y), name)
    val_fraction = _val_fraction_option(options, name)
    train_idx, val_idx = stratified_split(y, val_fraction, seed, name, class_names)
    return _finish(
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


def _finish(name, X_train, y_train, X_val, y_val, feature_names, class_names) -> PreparedData:
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


def _check_class_count(classes: np.ndarray, name: str) -> None:
    if len(classes) < 2:
        raise DatasetError(
            f"dataset {name!r}: needs at least 2 classes, found {len(classes)} "
            f"({[str(c) for c in classes]})"
        )


# ---------------------------------------------------------------------- options


def _positive_int_option(options: dict, key: str, name: str) -> int | None:
    value = options.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DatasetError(f"dataset {name!r}: {key} must be a positive integer, got {value!r}")
    return value


def _val_fraction_option(options: dict, name: str) -> float:
    value = options.get("val_fraction", DEFAULT_VAL_FRACTION)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise DatasetError(
            f"dataset {name!r}: val_fraction must be a number strictly between 0 and 1, "
            f"got {value!r}"
        )
    return float(value)


def _source_of(name: str, options: dict) -> str:
    if "csv" in options:
        if name in BUILTIN_DATASETS:
            raise DatasetError(
                f"dataset {name!r}: this name is built in; give the CSV dataset another name"
            )
        return "csv"
    if name in SKLEARN_DATASETS:
        return "sklearn"
    if name == "mnist":
        return "mnist"
    raise DatasetError(
        f"unknown dataset {name!r}: built-in names are {', '.join(BUILTIN_DATASETS)}; "
        'any other name needs options {"csv": path, "label_column": column}'
    )


def prepare_dataset(name: str, options: dict | None, seed: int) -> PreparedData:
    """Load, validate, split and standardise one dataset.

    Options (all optional): ``val_fraction`` (0.2; not for MNIST, whose
    validation set is the official test set), MNIST ``root``, ``per_class``,
    ``val_per_class``; CSV datasets need ``csv`` and ``label_column``.
    """
    options = dict(options or {})
    source = _source_of(name, options)
    unknown = sorted(set(options) - _OPTION_KEYS[source])
    if unknown:
        raise DatasetError(
            f"dataset {name!r}: unknown options {unknown}; allowed: "
            f"{sorted(_OPTION_KEYS[source])}"
        )
    if source == "sklearn":
        return _load_sklearn(name, options, seed)
    if source == "mnist":
        return _load_mnist(options, seed)
    return _load_csv(name, options, seed)


# --------------------------------------------------------------------------- I/O


def _atomic_write(path: str | os.PathLike, write) -> None:
    """Call write(fh) on a temp file beside `path`, then rename it into place.

    os.replace is atomic within one filesystem, so a killed job leaves either
    the old file or the new one, never half of one (a SIGKILL may strand the
    hidden ``.name.*.tmp`` file, which nothing reads).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def save_prepared(
    prepared: PreparedData, npz_path: str | os.PathLike, json_path: str | os.PathLike
) -> None:
    """Arrays (+ names, as JSON text so loading needs no pickle) and summary json."""
    meta = {
        "name": prepared.name,
        "feature_names": prepared.feature_names,
        "class_names": prepared.class_names,
    }
    arrays = {key: getattr(prepared, key) for key in _ARRAY_KEYS}
    _atomic_write(npz_path, lambda fh: np.savez(fh, meta=np.array(json.dumps(meta)), **arrays))
    text = json.dumps(prepared.summary(), indent=2) + "\n"
    _atomic_write(json_path, lambda fh: fh.write(text.encode()))


def load_prepared(npz_path: str | os.PathLike) -> PreparedData:
    try:
        with np.load(npz_path, allow_pickle=False) as npz:
            meta = json.loads(str(npz["meta"]))
            arrays = {key: npz[key] for key in _ARRAY_KEYS}
    except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DatasetError(f"{npz_path}: not a prepared dataset: {exc}") from exc
    return PreparedData(**meta, **arrays)
