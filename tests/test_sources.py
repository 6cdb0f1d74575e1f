"""Dataset sources checked before any job: prepare's own messages, without decoding MNIST."""

from __future__ import annotations

import gzip
import hashlib
import time

import numpy as np
import pytest

from faqnas.data.mnist import MNIST_FILES
from faqnas.data.prepare import prepare_dataset
from faqnas.data.registry import SKLEARN_SAMPLES, DatasetError
from faqnas.data.sources import check_source, check_sources, fingerprint, source_files, training_size

from conftest import load_config
from test_data import REAL_MNIST, labelled_csv, write_csv, write_idx, write_mnist


def truncate(path, n=1):
    path.write_bytes(path.read_bytes()[:-n])


SPLIT = {"protocol": "held_out", "split_seed": 0, "test_fraction": 0.2, "val_fraction": 0.2}
PAPER = {"protocol": "paper", "split_seed": 0, "per_class": None, "val_per_class": None}


def mnist(root, **options) -> dict:
    return {**PAPER, "root": str(root), **options}


# Each makes a bad source in a folder and returns (dataset name, options).
def _csv(rows, header=("a", "b", "y")):
    def make(tmp_path):
        return "mine", {"csv": str(write_csv(tmp_path / "d.csv", list(header), rows)), "label_column": "y", **SPLIT}
    return make


def _mnist(damage):
    def make(tmp_path):
        root = write_mnist(tmp_path / "m")
        damage(root)
        return "mnist", mnist(root)
    return make


BAD = {
    "csv missing": lambda tmp: ("mine", {"csv": str(tmp / "absent.csv"), "label_column": "y", **SPLIT}),
    "csv nan": _csv([[1, 2, 0], ["nan", 3, 1], [1, 2, 0], [3, 4, 1]]),
    "csv text feature": _csv([[1, "red", 0], [2, "blue", 1], [1, "x", 0], [3, "y", 1]]),
    "csv ragged": _csv([[1, 2, 0], [3, 1], [1, 2, 0], [3, 4, 1]]),
    "csv one class": _csv([[1, 2, 0], [3, 1, 0], [1, 2, 0], [3, 4, 0]]),
    "csv label column": lambda tmp: ("mine", {"csv": str(labelled_csv(tmp / "d.csv", [0, 1] * 4)),
                                              "label_column": "target", **SPLIT}),
    "mnist no folder": lambda tmp: ("mnist", mnist(tmp / "nowhere")),
    "mnist empty folder": lambda tmp: (tmp / "empty").mkdir() or ("mnist", mnist(tmp / "empty")),
    "mnist truncated": _mnist(lambda root: truncate(root / MNIST_FILES["train_images"])),
    "mnist trailing bytes": _mnist(lambda root: (root / MNIST_FILES["val_images"]).write_bytes(
        (root / MNIST_FILES["val_images"]).read_bytes() + b"\0")),
    "mnist bad magic": _mnist(lambda root: (root / MNIST_FILES["train_labels"]).write_bytes(b"\1\2\3\4" * 4)),
    "mnist counts": _mnist(lambda root: write_idx(root / MNIST_FILES["train_labels"], np.array([0, 1, 2]))),
    "mnist dims": _mnist(lambda root: write_idx(root / MNIST_FILES["train_images"], np.zeros((18, 16)))),
    "mnist sizes": _mnist(lambda root: write_idx(root / MNIST_FILES["val_images"], np.zeros((9, 5, 5)))),
    "mnist unseen labels": _mnist(lambda root: write_idx(root / MNIST_FILES["val_labels"], np.full(9, 7))),
}


@pytest.mark.parametrize("case", BAD)
def test_each_bad_source_gets_prepares_own_message(tmp_path, case):
    name, options = BAD[case](tmp_path)
    with pytest.raises(DatasetError) as prepared:
        prepare_dataset(name, options)
    with pytest.raises(DatasetError) as checked:
        check_source(name, options)
    assert str(checked.value) == str(prepared.value)


def test_truncated_gzip_is_found(tmp_path):
    root = write_mnist(tmp_path / "m", gz=True)
    truncate(root / (MNIST_FILES["train_images"] + ".gz"), 5)
    with pytest.raises(DatasetError, match="train-images-idx3-ubyte.gz"):
        check_source("mnist", mnist(root))


def test_per_class_beyond_the_labels_is_found(tmp_path):
    root = str(write_mnist(tmp_path / "m"))
    with pytest.raises(DatasetError, match="6 images"):
        check_source("mnist", mnist(root, per_class=10))
    assert check_source("mnist", mnist(root, per_class=2, val_per_class=1))


def test_fingerprint_is_the_content_so_gzip_does_not_matter(tmp_path):
    plain = write_mnist(tmp_path / "plain")
    packed = write_mnist(tmp_path / "packed", gz=True)
    assert check_source("mnist", mnist(plain)) == check_source("mnist", mnist(packed))
    assert fingerprint("mnist", mnist(plain)) == check_source("mnist", mnist(plain))
    other = write_mnist(tmp_path / "other", seed=1)
    changed = check_source("mnist", mnist(other))
    assert changed[MNIST_FILES["train_images"]] != check_source("mnist", mnist(plain))[MNIST_FILES["train_images"]]


def test_csv_fingerprint_changes_with_the_file(tmp_path):
    path = labelled_csv(tmp_path / "d.csv", [0, 1] * 4)
    options = {"csv": str(path), "label_column": "label", **SPLIT}
    before = check_source("mine", options)
    assert before == fingerprint("mine", options) and set(before) == {"csv"}
    path.write_text(path.read_text().replace("0\n", "1\n", 1))
    assert check_source("mine", options) != before


def test_builtin_datasets_have_no_source_files():
    config = load_config()
    assert check_source("iris", SPLIT) is None
    assert source_files(config, "iris") == []


def test_every_bad_dataset_is_listed(tmp_path):
    config = load_config()
    config["datasets"] = ["iris", "mine", "mnist"]
    config["csv_datasets"] = {"mine": {"csv": str(tmp_path / "absent.csv"), "label_column": "y", **SPLIT}}
    config["data"]["mnist"]["root"] = str(tmp_path / "nowhere")
    with pytest.raises(DatasetError) as err:
        check_sources(config)
    assert "absent.csv does not exist" in str(err.value) and "nowhere does not exist" in str(err.value)


def test_source_files_are_the_files_found(tmp_path):
    config = load_config()
    root = write_mnist(tmp_path / "m", gz=True)
    config["data"]["mnist"]["root"] = str(root)
    assert source_files(config, "mnist") == [str(root / (stem + ".gz")) for stem in MNIST_FILES.values()]


@pytest.mark.skipif(not REAL_MNIST.is_dir(), reason="shared/data/mnist is not beside the repository")
def test_real_mnist_is_checked_in_well_under_a_second():
    options = mnist(REAL_MNIST, protocol="held_out", val_per_class=1000)
    check_source("mnist", options)  # warm the page cache
    start = time.perf_counter()
    digests = check_source("mnist", options)
    assert time.perf_counter() - start < 1.0
    with gzip.open(REAL_MNIST / "t10k-labels-idx1-ubyte.gz") as handle:
        assert digests["t10k-labels-idx1-ubyte"] == hashlib.sha256(handle.read()).hexdigest()


@pytest.mark.parametrize("protocol", ["held_out", "paper"])
def test_training_size_is_what_prepare_gives(tmp_path, protocol):
    """The size the evaluate jobs are planned from, without preparing anything."""
    split = {**SPLIT, "protocol": protocol}
    cases = {name: split for name in ("iris", "wine", "breast_cancer", "digits")}
    cases["mine"] = {"csv": str(labelled_csv(tmp_path / "d.csv", [0, 1, 2] * 9)), "label_column": "label", **split}
    cases["mnist"] = mnist(write_mnist(tmp_path / "m"), protocol=protocol,
                           val_per_class=2 if protocol == "held_out" else None)
    for name, options in cases.items():
        prepared = len(prepare_dataset(name, options).y_train)
        if name in SKLEARN_SAMPLES:
            assert training_size(name, options) == pytest.approx(prepared, abs=2), name
        else:
            assert training_size(name, options) == prepared, name


def test_scikit_learn_sizes_are_the_bundled_datasets():
    for name, n in SKLEARN_SAMPLES.items():
        prepared = prepare_dataset(name, SPLIT)
        assert len(prepared.y_train) + len(prepared.y_val) + len(prepared.y_test) == n
