"""The datasets faqnas knows, in one place, and the error every reader raises.

Built in: scikit-learn's bundled tables and MNIST from its four IDX files.
Any other name is a CSV file declared under ``csv_datasets`` in the config.
"""

from __future__ import annotations

SKLEARN_DATASETS = ("iris", "wine", "breast_cancer", "digits")
BUILTIN_DATASETS = SKLEARN_DATASETS + ("mnist",)


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
    from a (validated) config."""
    data = config["data"]
    if name == "mnist":
        return {**data["mnist"]}
    if name in config["csv_datasets"]:
        return {"val_fraction": data["val_fraction"], **config["csv_datasets"][name]}
    return {"val_fraction": data["val_fraction"]}
