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
from faqnas.data.sources import fingerprint
from faqnas.data.store import PreparedData, save_prepared
from faqnas.data.tabular import load_csv, load_sklearn
from faqnas.records import write_json


def prepare_dataset(name: str, options: dict) -> PreparedData:
    """Load, check, split and standardise one dataset.

    Args:
        name: a built-in dataset or a CSV dataset's name.
        options: the split (``protocol``, ``split_seed``; ``test_fraction``
            and ``val_fraction`` but for MNIST); MNIST ``root``,
            ``per_class``, ``val_per_class``; CSV ``csv`` and
            ``label_column`` (`faqnas.data.registry.dataset_options` builds
            them from a config).

    Returns:
        The prepared dataset.

    Raises:
        DatasetError: the dataset is unknown or its data cannot be used; the
            message names the file and the problem.
    """
    source = source_of(name, options)
    if source == "sklearn":
        return load_sklearn(name, options)
    if source == "mnist":
        return load_mnist(options)
    return load_csv(name, options)


def prepare(
    data_path: str,
    description_path: str,
    manifest_path: str,
    *,
    name: str,
    options: dict,
    manifest: dict,
) -> None:
    """Prepare dataset ``name`` and store it with the manifest results are tied to.

    Args:
        data_path: ``data.npz``, the arrays.
        description_path: ``data.json``, shapes, classes, split sizes and hash.
        manifest_path: ``search.json`` (`faqnas.pipeline.config.manifest`).
        name, options: as `prepare_dataset`.
        manifest: what the dataset's results depend on; the source files'
            fingerprint (`faqnas.data.sources.fingerprint`) is added.

    Raises:
        DatasetError: as `prepare_dataset`.
    """
    prepared = prepare_dataset(name, options)
    save_prepared(prepared, data_path, description_path)
    # The manifest says what the results are tied to, the source files included.
    write_json(manifest_path, {**manifest, "source": fingerprint(name, options)})
    print(f"prepared {name}: {prepared.describe()}", file=sys.stderr)
