"""MNIST from its four original IDX files (gzipped or not): the training
images for training, the official test images for validation."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from faqnas.data.idx import read_idx
from faqnas.data.registry import DatasetError
from faqnas.data.split import check_class_count, finish
from faqnas.data.store import PreparedData
from faqnas.search.seeds import derive_seed

MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "val_images": "t10k-images-idx3-ubyte",
    "val_labels": "t10k-labels-idx1-ubyte",
}


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
    per_class = options.get(key)
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


def load_mnist(options: dict, seed: int) -> PreparedData:
    """MNIST from ``options["root"]``, subsampled per class as the options say.

    Raises:
        DatasetError: a file is missing, truncated or inconsistent.
    """
    root = Path(options["root"])
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
    check_class_count(classes, "mnist")
    unseen = np.setdiff1d(y_va, classes)
    if len(unseen):
        raise DatasetError(
            f"{va_labels_path}: labels {unseen.tolist()} never occur in the training images"
        )
    return finish(
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
