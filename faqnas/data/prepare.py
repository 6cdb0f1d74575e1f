"""Rule ``prepare``: load, check, split and standardise one dataset.

Sources are scikit-learn's bundled tables (iris, wine, breast_cancer,
digits), MNIST from its four original IDX files, and user CSV files
(`faqnas.data.registry`). Options are checked against the config schema
before any job starts; readers still report every problem of the data
itself with the file it is in.
"""

from __future__ import annotations

import sys

from faqnas.data.mnist import load_mnist
from faqnas.data.registry import source_of
from faqnas.data.store import PreparedData, save_prepared
from faqnas.data.tabular import load_csv, load_sklearn
from faqnas.records import write_json
from faqnas.search.seeds import derive_seed


def prepare_dataset(name: str, options: dict, seed: int) -> PreparedData:
    """Load, check, split and standardise one dataset.

    Args:
        name: a built-in dataset or a CSV dataset's name.
        options: ``val_fraction`` (not for MNIST, which validates on its
            official test images); MNIST ``root``, ``per_class``,
            ``val_per_class``; CSV ``csv`` and ``label_column``
            (`faqnas.data.registry.dataset_options` builds them from a config).
        seed: the split's seed.

    Returns:
        The prepared dataset.

    Raises:
        DatasetError: the dataset is unknown or its data cannot be used; the
            message names the file and the problem.
    """
    source = source_of(name, options)
    if source == "sklearn":
        return load_sklearn(name, options, seed)
    if source == "mnist":
        return load_mnist(options, seed)
    return load_csv(name, options, seed)


def prepare(data_path: str, description_path: str, manifest_path: str, *,
            name: str, options: dict, run_seed: int, manifest: dict) -> None:
    """Prepare dataset ``name`` and store it with the manifest results are tied to.

    Args:
        data_path: ``data.npz``, the arrays.
        description_path: ``data.json``, shapes, classes, split sizes and hash.
        manifest_path: ``search.json`` (`faqnas.pipeline.config.manifest`).
        name, options: as `prepare_dataset`.
        run_seed: the run seed; the split's seed derives from it and ``name``.
        manifest: what the dataset's results depend on.

    Raises:
        DatasetError: as `prepare_dataset`.
    """
    prepared = prepare_dataset(name, options, derive_seed(run_seed, name, "split"))
    save_prepared(prepared, data_path, description_path)
    write_json(manifest_path, manifest)
    print(f"prepared {name}: {prepared.describe()}", file=sys.stderr)
