"""Dataset sources checked when the workflow is loaded, and their fingerprints.

``prepare`` would find a missing CSV file or a truncated MNIST file too, but
only after other jobs have started. The same checks run here, with the same
messages (they are ``faqnas.data``'s own), before any job, so ``snakemake -n``
already refuses bad data:

- CSV: the file is loaded as ``prepare`` loads it (one pass over the file):
  it exists, has a header and the label column, numeric finite features,
  the same number of fields on every line, at least two classes with two
  samples each.
- MNIST: the four files are present, each IDX header is valid and agrees
  with the file's (decompressed) size, images and labels agree, the labels
  satisfy ``per_class``/``val_per_class``. Pixels are streamed through a hash
  but never decoded.

The fingerprint of a source (sha256 of the CSV file; sha256 of the content of
each MNIST file, so a gzipped and a plain copy agree) goes into the manifest
``results/{ds}/search.json``: results made from other data are refused like
results made with another config.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from faqnas.data.idx import idx_header, iter_bytes
from faqnas.data.mnist import MNIST_FILES, find_mnist_file, mnist_splits
from faqnas.data.registry import (
    HELD_OUT,
    SKLEARN_SAMPLES,
    DatasetError,
    dataset_options,
    source_of,
)
from faqnas.data.tabular import load_csv


def source_files(config: dict, name: str) -> list[str]:
    """The files a dataset is prepared from (the inputs of ``prepare``).

    Args:
        config: the workflow config.
        name: a configured dataset.

    Returns:
        The CSV file, the four MNIST files, or nothing for scikit-learn's
        bundled datasets.

    Raises:
        DatasetError: an MNIST file is missing.
    """
    options = dataset_options(config, name)
    source = source_of(name, options)
    if source == "csv":
        return [str(options["csv"])]
    if source == "mnist":
        return [str(find_mnist_file(Path(options["root"]), stem)) for stem in MNIST_FILES.values()]
    return []


def _sha256_file(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def _scan_idx(path: Path) -> tuple[np.ndarray, str]:
    """An IDX file checked without decoding it: a stand-in array of its shape
    and dtype (no memory), and the sha256 of its (decompressed) content."""
    digest, size, head = hashlib.sha256(), 0, b""
    for block in iter_bytes(path):
        if len(head) < 1024:
            head += block[: 1024 - len(head)]
        digest.update(block)
        size += len(block)
    dtype, dims, _ = idx_header(head, size, path)
    return np.broadcast_to(np.zeros((), dtype.newbyteorder("=")), dims), digest.hexdigest()


def _check_mnist(options: dict) -> dict:
    digests = {}

    def images(path):
        stand_in, digests[Path(path).name.removesuffix(".gz")] = _scan_idx(path)
        return stand_in

    mnist_splits(options, read_images=images)
    root = Path(options["root"])
    for stem in (MNIST_FILES["train_labels"], MNIST_FILES["val_labels"]):
        digests[stem] = _scan_idx(find_mnist_file(root, stem))[1]
    return {stem: digests[stem] for stem in MNIST_FILES.values()}


def check_source(name: str, options: dict) -> dict | None:
    """Check one dataset's source files and return their fingerprint.

    Args:
        name: the dataset name.
        options: its options (`faqnas.data.registry.dataset_options`).

    Returns:
        ``{"csv": sha256}`` for a CSV file, ``{file name: sha256 of content}``
        for the four MNIST files, None for a bundled dataset.

    Raises:
        DatasetError: what ``prepare`` would fail with, naming the file, the
            problem and what is allowed.
    """
    source = source_of(name, options)
    if source == "csv":
        load_csv(name, options)
        return {"csv": _sha256_file(options["csv"])}
    if source == "mnist":
        return _check_mnist(options)
    return None


def fingerprint(name: str, options: dict) -> dict | None:
    """The fingerprint of :func:`check_source` without the checks (``prepare``
    has just made the dataset from these files).

    Args:
        name: the dataset name.
        options: its options.

    Returns:
        As for :func:`check_source`.
    """
    source = source_of(name, options)
    if source == "csv":
        return {"csv": _sha256_file(options["csv"])}
    if source == "mnist":
        root = Path(options["root"])
        return {stem: _scan_idx(find_mnist_file(root, stem))[1] for stem in MNIST_FILES.values()}
    return None


def training_size(name: str, options: dict) -> int:
    """The number of training samples ``prepare`` will give a dataset, read
    from its (already checked) source without preparing it.

    Args:
        name: the dataset name.
        options: its options (`faqnas.data.registry.dataset_options`).

    Returns:
        Exact for a CSV file and MNIST (their splits are drawn, no pixel is
        read); for scikit-learn's bundled tables, the split fractions of their
        sizes, within a sample of the prepared split.
    """
    source = source_of(name, options)
    if source == "csv":
        return len(load_csv(name, options).y_train)
    if source == "mnist":
        def header_only(path):
            dtype, dims, _ = idx_header(next(iter_bytes(path)), None, path)
            return np.broadcast_to(np.zeros((), dtype.newbyteorder("=")), dims)

        (train, _, _), _ = mnist_splits(options, read_images=header_only)
        return len(train[2])
    share = 1 - options["val_fraction"]
    if options["protocol"] == HELD_OUT:
        share *= 1 - options["test_fraction"]
    return round(SKLEARN_SAMPLES[name] * share)


def check_sources(config: dict) -> dict[str, dict | None]:
    """Check the sources of every configured dataset.

    Args:
        config: the workflow config (already schema-checked).

    Returns:
        Each dataset's fingerprint.

    Raises:
        DatasetError: one line per dataset whose source is bad.
    """
    fingerprints, problems = {}, []
    for name in config["datasets"]:
        try:
            fingerprints[name] = check_source(name, dataset_options(config, name))
        except DatasetError as err:
            problems.append(str(err))
    if problems:
        raise DatasetError(
            "dataset sources are not usable (found before any job ran):\n  - " + "\n  - ".join(problems)
        )
    return fingerprints
