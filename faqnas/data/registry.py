"""The datasets faqnas knows, in one place, and the error every reader raises.

Built in: scikit-learn's bundled tables and MNIST from its four IDX files.
Any other name is a CSV file declared under ``csv_datasets`` in the config.
"""

from __future__ import annotations

SKLEARN_DATASETS = ("iris", "wine", "breast_cancer", "digits")
BUILTIN_DATASETS = SKLEARN_DATASETS + ("mnist",)
# Samples in scikit-learn's bundled copies (tests/test_sources.py checks them),
# so that a job's cost can be estimated without importing scikit-learn.
SKLEARN_SAMPLES = {"iris": 150, "wine": 178, "breast_cancer": 569, "digits": 1797}

# held_out: a test split the search never sees (MNIST: the official test
# images), validation taken from the rest. paper: the paper's protocol, no
# test split (MNIST validates on its official test images).
HELD_OUT = "held_out"
PAPER = "paper"
PROTOCOLS = (HELD_OUT, PAPER)


class DatasetError(ValueError):
    """A dataset cannot be loaded or prepared; the message names file or dataset."""


def source_of(name: str, options: dict) -> str:
    """Which reader serves dataset ``name``: "sklearn", "mnist" or "csv".

    Raises:
        DatasetError: a CSV dataset takes a built-in name, or an unknown name
            comes without a CSV file.
    """
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


def dataset_options(config: dict, name: str) -> dict:
    """The options `faqnas.data.prepare.prepare_dataset` takes for ``name``
    from a (validated) config: the split (``protocol``, ``split_seed``) and
    the source's own options."""
    data = config["data"]
    split = {"protocol": data["protocol"], "split_seed": data["split_seed"]}
    if name == "mnist":
        return {**split, **data["mnist"]}
    fractions = {"test_fraction": data["test_fraction"], "val_fraction": data["val_fraction"]}
    return {**split, **fractions, **config["csv_datasets"].get(name, {})}
