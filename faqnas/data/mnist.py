"""MNIST from its four original IDX files (gzipped or not): the training
images for training, the official test images for validation."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from faqnas.data.idx import read_idx
from faqnas.data.registry import HELD_OUT, DatasetError
from faqnas.data.split import check_class_count, finish
from faqnas.data.store import PreparedData
from faqnas.search.seeds import derive_seed

MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "val_images": "t10k-images-idx3-ubyte",
    "val_labels": "t10k-labels-idx1-ubyte",
}


def find_mnist_file(root: Path, stem: str) -> Path:
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


def _read_mnist_pair(root: Path, images_key: str, labels_key: str, read_images=read_idx):
    images_path = find_mnist_file(root, MNIST_FILES[images_key])
    labels_path = find_mnist_file(root, MNIST_FILES[labels_key])
    images, labels = read_images(images_path), read_idx(labels_path)
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


def _per_class(y: np.ndarray, count: int | None, seed: int, what: str) -> np.ndarray:
    """Sorted indices of ``count`` random samples of each class (all when None)."""
    if count is None:
        return np.arange(len(y))
    rng = np.random.default_rng(seed)
    chosen = []
    for cls in np.unique(y):
        idx = np.flatnonzero(y == cls)
        if len(idx) < count:
            raise DatasetError(
                f"dataset 'mnist': {what} class {cls} has {len(idx)} images, "
                f"fewer than the {count} asked for"
            )
        chosen.append(rng.choice(idx, size=count, replace=False))
    return np.sort(np.concatenate(chosen))


def load_mnist(options: dict) -> PreparedData:
    """MNIST from the IDX files in ``options["root"]``, split by ``options["protocol"]``.

    Raises:
        DatasetError: as `mnist_splits`.
    """
    splits, classes = mnist_splits(options)
    return finish(
        "mnist",
        *[(_flatten_scaled(X[rows]), np.searchsorted(classes, y[rows]), rows) for X, y, rows in splits],
        None,
        [str(c) for c in classes],
        options["protocol"],
    )


def mnist_splits(options: dict, read_images=read_idx):
    """MNIST's files checked, and the rows of each split drawn.

    held_out: the official 10,000 test images are the test split; validation
    is ``val_per_class`` images per class of the 60,000 training images, and
    training the rest (``per_class`` of them per class when set). paper: the
    paper's protocol, training on the training images (``per_class``) and
    validating on the official test images (``val_per_class`` of them per
    class, all when null); no test split. Draws are seeded from
    ``split_seed``, one stream per option, so changing one never shifts another.

    Args:
        options: the dataset's options (`faqnas.data.registry.dataset_options`).
        read_images: reads an images file; one that returns an array of the
            right shape without the pixels is enough to check the files
            (`faqnas.data.sources`).

    Returns:
        ``(images, labels, rows)`` of the training, validation and test
        splits (the rows index the images and labels given), and the classes.

    Raises:
        DatasetError: a file is missing, truncated or inconsistent, or a class
            has fewer images than asked for.
    """
    root = Path(options["root"])
    if not root.is_dir():
        raise DatasetError(
            f"dataset 'mnist': folder {root} does not exist; it must hold "
            + ", ".join(f"{s}[.gz]" for s in MNIST_FILES.values())
        )
    X_tr, y_tr, _ = _read_mnist_pair(root, "train_images", "train_labels", read_images)
    X_te, y_te, te_labels_path = _read_mnist_pair(root, "val_images", "val_labels", read_images)
    if X_tr.shape[1:] != X_te.shape[1:]:
        raise DatasetError(
            f"dataset 'mnist' in {root}: {MNIST_FILES['val_images']} images are "
            f"{X_te.shape[1:]}, {MNIST_FILES['train_images']} images are {X_tr.shape[1:]}"
        )
    classes = np.unique(y_tr)
    check_class_count(classes, "mnist")
    unseen = np.setdiff1d(y_te, classes)
    if len(unseen):
        raise DatasetError(
            f"{te_labels_path}: labels {unseen.tolist()} never occur in the training images"
        )
    seed = options["split_seed"]
    if options["protocol"] == HELD_OUT:
        if options["val_per_class"] is None:
            raise DatasetError(
                "data.mnist.val_per_class must be set under the held_out protocol: "
                "validation images are taken from the training images"
            )
        val = _per_class(
            y_tr, options["val_per_class"], derive_seed(seed, "mnist", "val_per_class"),
            "validation (from the training images)",
        )
        rest = np.setdiff1d(np.arange(len(y_tr)), val)
        train = rest[_per_class(
            y_tr[rest], options["per_class"], derive_seed(seed, "mnist", "per_class"), "training"
        )]
        test = np.arange(len(y_te))
        return ((X_tr, y_tr, train), (X_tr, y_tr, val), (X_te, y_te, test)), classes
    train = _per_class(y_tr, options["per_class"], derive_seed(seed, "mnist", "per_class"), "training")
    val = _per_class(
        y_te, options["val_per_class"], derive_seed(seed, "mnist", "val_per_class"), "validation"
    )
    return ((X_tr, y_tr, train), (X_te, y_te, val), (X_te, y_te, val[:0])), classes


def _flatten_scaled(images: np.ndarray) -> np.ndarray:
    # [0, 1] pixels as torchvision's ToTensor gives them, so the standardised
    # values match what a torchvision-based pipeline would feed the model.
    pixels = int(np.prod(images.shape[1:]))
    return images.reshape(len(images), pixels).astype(np.float32) / np.float32(255)
