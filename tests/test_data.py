"""Tests of faqnas.data on tiny generated IDX/CSV files (plus the real MNIST if present)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from faqnas.data.idx import read_idx
from faqnas.data.mnist import MNIST_FILES
from faqnas.data.prepare import prepare_dataset
from faqnas.data.registry import BUILTIN_DATASETS, DatasetError
from faqnas.data.split import standardisation, standardise, stratified_split
from faqnas.data.store import PreparedData, load_prepared, save_prepared

REPO = Path(__file__).resolve().parents[1]
# The split options a config gives a tabular dataset, and MNIST's under each protocol.
SPLIT = {"protocol": "held_out", "split_seed": 0, "test_fraction": 0.2, "val_fraction": 0.2}
PAPER = {"protocol": "paper", "split_seed": 0, "per_class": None, "val_per_class": None}


def mnist_options(root, **options) -> dict:
    """MNIST options under the paper's protocol unless ``options`` say otherwise."""
    return {**PAPER, "root": str(root), **options}
# CI and every session have shared/ beside the repository.
REAL_MNIST = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"

IDX_CODES = {"u1": 0x08, "i1": 0x09, ">i2": 0x0B, ">i4": 0x0C, ">f4": 0x0D, ">f8": 0x0E}


# ------------------------------------------------------------------ helpers


def write_idx(path: Path, array: np.ndarray, gz: bool = False, dtype: str = "u1") -> Path:
    """An IDX file as the format defines it: magic, big-endian dims, raw data."""
    array = np.asarray(array, dtype=dtype)
    header = bytes([0, 0, IDX_CODES[dtype], array.ndim])
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    raw = header + array.tobytes()
    if gz:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(raw))
    else:
        path.write_bytes(raw)
    return path


def write_mnist(root: Path, n_train_per_class=6, n_val_per_class=3, n_classes=3,
                size=4, gz=False, seed=0) -> Path:
    """A miniature MNIST folder: class c images are noisy around brightness c."""
    rng = np.random.default_rng(seed)
    root.mkdir(parents=True, exist_ok=True)
    for prefix, per_class in (("train", n_train_per_class), ("val", n_val_per_class)):
        labels = np.repeat(np.arange(n_classes), per_class)
        rng.shuffle(labels)
        images = rng.integers(0, 50, size=(len(labels), size, size)) + 60 * labels[:, None, None]
        write_idx(root / MNIST_FILES[f"{prefix}_images"], images, gz=gz)
        write_idx(root / MNIST_FILES[f"{prefix}_labels"], labels, gz=gz)
    return root


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def labelled_csv(path: Path, labels: list, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    rows = [[*np.round(rng.normal(size=2), 4), lab] for lab in labels]
    return write_csv(path, ["a", "b", "label"], rows)


def assert_error(match_all: list[str], call, *args):
    with pytest.raises(DatasetError) as info:
        call(*args)
    for text in match_all:
        assert text in str(info.value), f"{text!r} not in {info.value}"
    return str(info.value)


# ------------------------------------------------------------ sklearn sets

SKLEARN_SHAPES = {  # name: (n_samples, n_features, n_classes)
    "iris": (150, 4, 3),
    "wine": (178, 13, 3),
    "breast_cancer": (569, 30, 2),
    "digits": (1797, 64, 10),
}


@pytest.mark.parametrize("name", sorted(SKLEARN_SHAPES))
def test_sklearn_dataset_shapes_classes_and_standardisation(name):
    n, d, c = SKLEARN_SHAPES[name]
    p = prepare_dataset(name, SPLIT)
    assert p.X_train.dtype == p.X_val.dtype == np.float32
    assert p.y_train.dtype == p.y_val.dtype == np.int64
    assert p.X_train.shape[1] == p.X_val.shape[1] == d
    assert len(p.y_train) + len(p.y_val) + len(p.y_test) == n
    assert len(p.y_test) == pytest.approx(0.2 * n, abs=c)
    assert len(p.y_val) == pytest.approx(0.2 * (n - len(p.y_test)), abs=c)
    assert set(np.unique(p.y_test)) == set(range(c))
    assert p.n_classes == len(p.class_names) == c
    assert set(np.unique(p.y_train)) == set(np.unique(p.y_val)) == set(range(c))
    assert len(p.feature_names) == d
    varying = p.X_train.std(axis=0) > 0
    np.testing.assert_allclose(p.X_train.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(p.X_train.std(axis=0)[varying], 1, atol=1e-4)
    # Validation uses the training statistics, so its mean is not forced to 0.
    assert np.abs(p.X_val.mean(axis=0)).max() > 1e-3
    s = p.describe()
    assert (s["name"], s["n_features"], s["n_classes"]) == (name, d, c)
    assert (s["n_train"], s["n_val"], s["n_test"]) == (len(p.y_train), len(p.y_val), len(p.y_test))
    assert sum(sum(counts) for counts in s["class_counts"].values()) == n
    assert s["protocol"] == "held_out"


def test_iris_class_names():
    assert prepare_dataset("iris", SPLIT).class_names == ["setosa", "versicolor", "virginica"]


def test_standardise_uses_training_statistics_only():
    rng = np.random.default_rng(0)
    X_train = rng.normal(5.0, 2.0, size=(50, 3))
    X_val = rng.normal(-3.0, 7.0, size=(20, 3))
    mean, scale = standardisation(X_train)
    tr, va = standardise(X_train, mean, scale), standardise(X_val, mean, scale)
    np.testing.assert_allclose(tr.mean(axis=0), 0, atol=1e-6)
    np.testing.assert_allclose(tr.std(axis=0), 1, atol=1e-5)
    expected = (X_val - X_train.mean(axis=0)) / X_train.std(axis=0)
    np.testing.assert_allclose(va, expected, rtol=1e-5)


def test_constant_feature_gives_no_nan(tmp_path):
    labels = ["x"] * 5 + ["y"] * 5
    rows = [[0.1, i * 0.5, lab] for i, lab in enumerate(labels)]
    path = write_csv(tmp_path / "c.csv", ["const", "v", "label"], rows)
    p = prepare_dataset("const", {"csv": str(path), "label_column": "label", **SPLIT})
    for X in (p.X_train, p.X_val):
        assert np.isfinite(X).all()
        np.testing.assert_allclose(X[:, 0], 0, atol=1e-6)


def test_stratified_split_keeps_class_proportions():
    y = np.repeat([0, 1, 2], [100, 30, 10])
    train, val = stratified_split(y, 0.2, seed=3)
    assert np.bincount(y[val]).tolist() == [20, 6, 2]
    assert np.bincount(y[train]).tolist() == [80, 24, 8]
    assert len(np.intersect1d(train, val)) == 0
    assert len(train) + len(val) == len(y)


def test_stratified_split_keeps_one_per_class_on_each_side():
    y = np.array([0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
    train, val = stratified_split(y, 0.1, seed=0)
    assert set(y[train]) == set(y[val]) == {0, 1}


def test_split_is_deterministic_per_seed_and_differs_across_seeds():
    a = prepare_dataset("wine", {**SPLIT, "split_seed": 7})
    b = prepare_dataset("wine", {**SPLIT, "split_seed": 7})
    c = prepare_dataset("wine", {**SPLIT, "split_seed": 8})
    assert a.describe()["sha256"] == b.describe()["sha256"]
    np.testing.assert_array_equal(a.X_val, b.X_val)
    np.testing.assert_array_equal(a.X_test, b.X_test)
    assert a.describe()["sha256"] != c.describe()["sha256"]


def test_val_fraction_option_changes_split_size():
    p = prepare_dataset("iris", {**SPLIT, "val_fraction": 0.5})
    assert (len(p.y_train), len(p.y_val), len(p.y_test)) == (60, 60, 30)
    p = prepare_dataset("iris", {**SPLIT, "protocol": "paper", "val_fraction": 0.5})
    assert (len(p.y_train), len(p.y_val), len(p.y_test)) == (75, 75, 0)
    assert p.X_test.shape == (0, 4)


# --------------------------------------------------------------- IDX parser


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("dtype", sorted(IDX_CODES))
def test_read_idx_round_trip_every_type(tmp_path, dtype, gz):
    base = np.arange(24).reshape(2, 3, 4)
    data = (base if dtype == "u1" else base - 5).astype(dtype)
    path = write_idx(tmp_path / "x-idx", data, gz=gz, dtype=dtype)
    out = read_idx(path)
    assert out.dtype.isnative and out.dtype == np.dtype(dtype).newbyteorder("=")
    np.testing.assert_array_equal(out, data)


def test_read_idx_one_dimensional(tmp_path):
    path = write_idx(tmp_path / "labels", np.array([3, 1, 4, 1, 5]))
    np.testing.assert_array_equal(read_idx(path), [3, 1, 4, 1, 5])


@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_truncated_names_file_and_sizes(tmp_path, gz):
    full = write_idx(tmp_path / "imgs", np.zeros((5, 4, 4)))
    raw = full.read_bytes()[:-7]  # header 16 bytes + 80 data bytes, minus 7
    path = tmp_path / ("cut.gz" if gz else "cut")
    path.write_bytes(gzip.compress(raw) if gz else raw)
    assert_error([str(path), "truncated", "96", "89"], read_idx, path)


def test_read_idx_trailing_bytes(tmp_path):
    path = write_idx(tmp_path / "imgs", np.zeros((2, 2, 2)))
    path.write_bytes(path.read_bytes() + b"\0\0")
    assert_error([str(path), "trailing", "24", "26"], read_idx, path)


@pytest.mark.parametrize(
    "raw, words",
    [
        (b"\x01\x00\x08\x01" + (1).to_bytes(4, "big") + b"\0", ["magic"]),  # nonzero lead byte
        (b"\x00\x00\x07\x01" + (1).to_bytes(4, "big") + b"\0", ["magic"]),  # unknown type code
        (b"\x00\x00\x08\x00", ["magic"]),  # zero dimensions
        (b"\x00\x00", ["not an IDX file"]),
        (b"\x00\x00\x08\x03" + (1).to_bytes(4, "big"), ["header", "16", "8"]),
    ],
)
def test_read_idx_bad_headers(tmp_path, raw, words):
    path = tmp_path / "bad"
    path.write_bytes(raw)
    assert_error([str(path), *words], read_idx, path)


def test_read_idx_corrupt_gzip(tmp_path):
    good = gzip.compress(b"\x00\x00\x08\x01" + (100).to_bytes(4, "big") + bytes(100))
    path = tmp_path / "bad.gz"
    path.write_bytes(good[: len(good) // 2])
    assert_error([str(path), "cannot read"], read_idx, path)


# -------------------------------------------------------------------- MNIST


@pytest.mark.parametrize("gz", [False, True])
def test_mnist_full_uses_official_test_set_as_validation(tmp_path, gz):
    root = write_mnist(tmp_path / "m", gz=gz)
    p = prepare_dataset("mnist", mnist_options(str(root)))
    assert p.X_train.shape == (18, 16) and p.X_val.shape == (9, 16)
    assert p.class_names == ["0", "1", "2"] and p.feature_names is None
    np.testing.assert_array_equal(read_idx(_mnist_path(root, "val_labels")), p.y_val)
    np.testing.assert_allclose(p.X_train.mean(axis=0), 0, atol=1e-5)


def _mnist_path(root: Path, key: str) -> Path:
    plain = root / MNIST_FILES[key]
    return plain if plain.exists() else plain.with_name(plain.name + ".gz")


def test_mnist_pixels_scaled_to_unit_range_before_standardising(tmp_path):
    root = write_mnist(tmp_path / "m")
    p = prepare_dataset("mnist", mnist_options(str(root)))
    images = read_idx(root / MNIST_FILES["train_images"]).reshape(18, -1) / 255.0
    np.testing.assert_allclose(p.X_train, standardise(images, *standardisation(images)), atol=1e-4)


def test_mnist_torchvision_raw_layout(tmp_path):
    write_mnist(tmp_path / "root" / "MNIST" / "raw", gz=True)
    p = prepare_dataset("mnist", mnist_options(str(tmp_path / "root")))
    assert len(p.y_train) == 18


def test_mnist_per_class_subsample_counts_and_determinism(tmp_path):
    root = str(write_mnist(tmp_path / "m", n_train_per_class=8, n_val_per_class=5))
    opts = mnist_options(root, per_class=3, val_per_class=2, split_seed=1)
    p = prepare_dataset("mnist", opts)
    assert p.describe()["class_counts"] == {"train": [3, 3, 3], "val": [2, 2, 2], "test": [0, 0, 0]}
    assert prepare_dataset("mnist", opts).describe()["sha256"] == p.describe()["sha256"]
    assert prepare_dataset("mnist", {**opts, "split_seed": 2}).describe()["sha256"] != p.describe()["sha256"]
    # Without val_per_class the whole test set is the validation set.
    q = prepare_dataset("mnist", mnist_options(root, per_class=3, split_seed=1))
    assert q.describe()["class_counts"]["val"] == [5, 5, 5]


def test_mnist_held_out_tests_on_the_official_test_images(tmp_path):
    root = write_mnist(tmp_path / "m", n_train_per_class=8, n_val_per_class=5)
    opts = mnist_options(root, protocol="held_out", val_per_class=2, split_seed=3)
    p = prepare_dataset("mnist", opts)
    assert p.describe()["class_counts"] == {"train": [6, 6, 6], "val": [2, 2, 2], "test": [5, 5, 5]}
    np.testing.assert_array_equal(read_idx(_mnist_path(root, "val_labels")), p.y_test)
    # Validation and training images are disjoint draws from the training file.
    raw = {tuple(np.round(r, 3)) for r in read_idx(_mnist_path(root, "train_images")).reshape(24, -1) / 255.0}
    seen = [tuple(np.round(r, 3)) for X in (p.X_train, p.X_val) for r in X * p.feature_scale + p.feature_mean]
    assert len(set(seen)) == 24 and set(seen) == raw
    # The scaler is the training split's own, stored with the data.
    np.testing.assert_allclose(p.X_train.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(
        (p.X_test * p.feature_scale + p.feature_mean)[:, 0],
        read_idx(_mnist_path(root, "val_images")).reshape(15, -1)[:, 0] / 255.0, atol=1e-5,
    )
    assert prepare_dataset("mnist", opts).describe()["sha256"] == p.describe()["sha256"]
    with pytest.raises(DatasetError, match="val_per_class must be set"):
        prepare_dataset("mnist", {**opts, "val_per_class": None})


def test_test_split_is_drawn_before_validation():
    a = prepare_dataset("iris", SPLIT)
    b = prepare_dataset("iris", {**SPLIT, "val_fraction": 0.3})
    # The test split is drawn first: other validation fractions leave it alone
    # (compared in raw units, float32 rounding aside).
    np.testing.assert_allclose(a.X_test * a.feature_scale + a.feature_mean,
                               b.X_test * b.feature_scale + b.feature_mean, atol=1e-5)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert len(b.y_val) > len(a.y_val)


def test_mnist_missing_folder_lists_expected_files(tmp_path):
    missing = tmp_path / "nowhere"
    assert_error(
        [str(missing), *MNIST_FILES.values()], prepare_dataset, "mnist", mnist_options(missing)
    )


def test_mnist_missing_file_says_which_names_were_tried(tmp_path):
    root = write_mnist(tmp_path / "m")
    (root / MNIST_FILES["val_labels"]).unlink()
    msg = assert_error(
        ["t10k-labels-idx1-ubyte", str(root / "t10k-labels-idx1-ubyte.gz"), "MNIST/raw"],
        prepare_dataset, "mnist", mnist_options(root),
    )
    assert "not found" in msg


def test_mnist_truncated_file_named(tmp_path):
    root = write_mnist(tmp_path / "m")
    path = root / MNIST_FILES["train_images"]
    path.write_bytes(path.read_bytes()[:-1])
    assert_error([str(path), "truncated"], prepare_dataset, "mnist", mnist_options(root))


def test_mnist_image_and_label_counts_must_agree(tmp_path):
    root = write_mnist(tmp_path / "m")
    write_idx(root / MNIST_FILES["train_labels"], np.array([0, 1, 2]))
    assert_error(
        ["train-images-idx3-ubyte", "18 images", "3 labels"],
        prepare_dataset, "mnist", mnist_options(root),
    )


def test_mnist_wrong_dims(tmp_path):
    root = write_mnist(tmp_path / "m")
    write_idx(root / MNIST_FILES["train_images"], np.zeros((18, 16)))
    assert_error(
        ["train-images-idx3-ubyte", "3-D", "2-D"], prepare_dataset, "mnist", mnist_options(root)
    )


def test_mnist_train_and_test_image_sizes_must_agree(tmp_path):
    root = write_mnist(tmp_path / "m")
    write_idx(root / MNIST_FILES["val_images"], np.zeros((9, 5, 5)))
    assert_error(["mnist", "t10k-images-idx3-ubyte", "(5, 5)", "(4, 4)"], prepare_dataset,
                 "mnist", mnist_options(root))


def test_mnist_validation_labels_unknown_to_training(tmp_path):
    root = write_mnist(tmp_path / "m")
    write_idx(root / MNIST_FILES["val_labels"], np.full(9, 7))
    assert_error(["t10k-labels", "[7]"], prepare_dataset, "mnist", mnist_options(root))


def test_mnist_per_class_larger_than_class(tmp_path):
    root = str(write_mnist(tmp_path / "m"))
    assert_error(
        ["mnist", "6 images", "10"], prepare_dataset, "mnist", mnist_options(root, per_class=10)
    )


def test_real_mnist_subsample():
    p = prepare_dataset("mnist", mnist_options(REAL_MNIST, per_class=3, val_per_class=2))
    assert p.X_train.shape == (30, 784) and p.X_val.shape == (20, 784)
    assert p.class_names == [str(d) for d in range(10)]
    assert np.isfinite(p.X_train).all() and np.isfinite(p.X_val).all()


# ---------------------------------------------------------------------- CSV


def test_csv_string_labels_sorted_with_class_names(tmp_path):
    path = labelled_csv(tmp_path / "d.csv", ["pear", "apple", "fig"] * 4)
    p = prepare_dataset("fruit", {"csv": str(path), "label_column": "label", **SPLIT})
    assert p.class_names == ["apple", "fig", "pear"]
    assert p.feature_names == ["a", "b"]
    assert p.describe()["class_counts"] == {"train": [2, 2, 2], "val": [1, 1, 1], "test": [1, 1, 1]}


def test_csv_integer_labels_sorted_by_value(tmp_path):
    path = labelled_csv(tmp_path / "d.csv", [10, 2, 1] * 4)
    p = prepare_dataset("ints", {"csv": str(path), "label_column": "label", **SPLIT})
    assert p.class_names == ["1", "2", "10"]


def test_csv_float_labels_sorted_by_value(tmp_path):
    path = labelled_csv(tmp_path / "d.csv", ["10.5", "2.5", "-1"] * 4)
    p = prepare_dataset("floats", {"csv": str(path), "label_column": "label", **SPLIT})
    assert p.class_names == ["-1", "2.5", "10.5"]


def test_csv_missing_file(tmp_path):
    path = tmp_path / "absent.csv"
    assert_error([str(path), "does not exist"], prepare_dataset, "x",
                 {"csv": str(path), "label_column": "y"})


def test_csv_missing_label_column_lists_columns(tmp_path):
    path = labelled_csv(tmp_path / "d.csv", [0, 1] * 4)
    assert_error([str(path), "'target'", "'a'", "'b'", "'label'"], prepare_dataset, "x",
                 {"csv": str(path), "label_column": "target"})


def test_csv_requires_label_column_option(tmp_path):
    path = labelled_csv(tmp_path / "d.csv", [0, 1] * 4)
    assert_error(["'x'", "label_column"], prepare_dataset, "x", {"csv": str(path)})


def test_csv_non_numeric_features_named(tmp_path):
    rows = [[1.0, "red", 2.0, "blue", 0], [2.0, "green", 3.0, "x", 1]] * 3
    path = write_csv(tmp_path / "d.csv", ["a", "colour", "b", "shade", "y"], rows)
    msg = assert_error([str(path), "numeric", "'colour'", "'shade'"], prepare_dataset, "x",
                       {"csv": str(path), "label_column": "y"})
    assert "'a'" not in msg and "'b'" not in msg


def test_csv_empty_and_nan_values_counted_per_column(tmp_path):
    rows = [[1, 2, 0], ["", 3, 1], ["nan", 4, 0], [5, "inf", 1], [6, 7, ""], [8, 9, "NaN"]]
    path = write_csv(tmp_path / "d.csv", ["a", "b", "y"], rows)
    assert_error([str(path), "'a' (2 rows)", "'b' (1 rows)", "'y' (2 rows)"], prepare_dataset,
                 "x", {"csv": str(path), "label_column": "y"})


def test_csv_ragged_row(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("a,b,y\n1,2,0\n3,1\n")
    assert_error([str(path), "line 3", "2 fields"], prepare_dataset, "x",
                 {"csv": str(path), "label_column": "y"})


def test_csv_fewer_than_two_classes(tmp_path):
    path = labelled_csv(tmp_path / "d.csv", ["only"] * 6)
    assert_error(["'one'", "at least 2 classes", "found 1"], prepare_dataset, "one",
                 {"csv": str(path), "label_column": "label", **SPLIT})


def test_csv_class_too_small_for_stratified_split(tmp_path):
    path = labelled_csv(tmp_path / "d.csv", ["a"] * 5 + ["rare"])
    assert_error(["'small'", "'rare'", "1 sample", "at least 2"], prepare_dataset, "small",
                 {"csv": str(path), "label_column": "label", **SPLIT})


# ------------------------------------------------------------------ options


def test_unknown_dataset_lists_allowed_names():
    msg = assert_error(["'cifar10'", *BUILTIN_DATASETS, "csv"], prepare_dataset, "cifar10", {})
    assert "label_column" in msg


def test_csv_cannot_shadow_builtin_name(tmp_path):
    path = labelled_csv(tmp_path / "d.csv", [0, 1] * 4)
    assert_error(["'iris'", "built in"], prepare_dataset, "iris",
                 {"csv": str(path), "label_column": "label", **SPLIT})


# ---------------------------------------------------------------------- I/O


def small_prepared(tmp_path) -> PreparedData:
    path = labelled_csv(tmp_path / "d.csv", ["u", "v"] * 5)
    return prepare_dataset("uv", {"csv": str(path), "label_column": "label", **SPLIT})


def test_save_load_round_trip(tmp_path):
    p = small_prepared(tmp_path)
    out = tmp_path / "out"
    save_prepared(p, out / "data.npz", out / "data.json")
    q = load_prepared(out / "data.npz")
    for key in ("X_train", "y_train", "X_val", "y_val"):
        np.testing.assert_array_equal(getattr(p, key), getattr(q, key))
        assert getattr(p, key).dtype == getattr(q, key).dtype
    assert (q.name, q.feature_names, q.class_names) == (p.name, p.feature_names, p.class_names)
    assert json.loads((out / "data.json").read_text()) == p.describe() == q.describe()
    assert sorted(os.listdir(out)) == ["data.json", "data.npz"]


def test_round_trip_without_feature_names(tmp_path):
    root = write_mnist(tmp_path / "m")
    p = prepare_dataset("mnist", mnist_options(str(root)))
    save_prepared(p, tmp_path / "d.npz", tmp_path / "d.json")
    assert load_prepared(tmp_path / "d.npz").describe() == p.describe()


def test_failed_save_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    p = small_prepared(tmp_path)
    out = tmp_path / "out"
    save_prepared(p, out / "data.npz", out / "data.json")
    before = (out / "data.npz").read_bytes()

    def killed_midway(fh, **arrays):
        fh.write(b"PK\x03\x04 half an archive")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", killed_midway)
    with pytest.raises(KeyboardInterrupt):
        save_prepared(p, out / "data.npz", out / "data.json")
    assert (out / "data.npz").read_bytes() == before
    assert sorted(os.listdir(out)) == ["data.json", "data.npz"]


def test_load_prepared_rejects_other_files(tmp_path):
    path = tmp_path / "junk.npz"
    path.write_bytes(b"not a zip")
    assert_error([str(path), "not a prepared dataset"], load_prepared, path)
    np.savez(tmp_path / "other.npz", X=np.zeros(2))
    assert_error([str(tmp_path / "other.npz")], load_prepared, tmp_path / "other.npz")


def test_load_prepared_does_not_import_sklearn():
    code = (
        "import sys; from faqnas.data.store import load_prepared; "
        "print(sorted(m for m in ('sklearn', 'scipy', 'pandas') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_splits_name_their_source_rows_and_partition_them():
    from sklearn.datasets import load_wine

    p = prepare_dataset("wine", SPLIT)
    rows = np.concatenate([p.rows_train, p.rows_val, p.rows_test])
    assert sorted(rows.tolist()) == list(range(178))
    raw = load_wine().data
    for X, r in ((p.X_train, p.rows_train), (p.X_val, p.rows_val), (p.X_test, p.rows_test)):
        expected = ((raw[r] - p.feature_mean) / p.feature_scale).astype(np.float32)
        np.testing.assert_array_equal(X, expected)
