"""Model files: save -> load -> predict, the PennyLane rebuild, and refusals."""

import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
from sklearn import datasets

import faqnas
from faqnas.data.split import standardisation, stratified_split
from faqnas.final.export import (
    FORMAT,
    ModelFileError,
    load_model,
    pennylane_state_dict,
    save_model,
)
from faqnas.final.train import build_model, train_final
from faqnas.search.space import Genome

ROT = ("RY", "RX", "RZ", "RY")
TRAINED = Genome(3, "angle", ROT, "CZ", "circular", 2)


@pytest.fixture(scope="module")
def wine():
    """Raw wine rows split into train/val/test, their standardisation, names."""
    bunch = datasets.load_wine()
    X, y = bunch.data, bunch.target
    rest, test = stratified_split(y, 0.2, seed=11)
    fit, val = stratified_split(y[rest], 0.2, seed=12)
    raw = {"train": X[rest][fit], "val": X[rest][val], "test": X[test]}
    labels = {"train": y[rest][fit], "val": y[rest][val], "test": y[test]}
    mean, scale = standardisation(raw["train"])
    std = {k: ((v - mean) / scale).astype(np.float32) for k, v in raw.items()}
    return dict(raw=raw, std=std, y=labels, mean=mean, scale=scale,
                class_names=[str(c) for c in bunch.target_names],
                feature_names=[str(f) for f in bunch.feature_names])


def _save(path, model, data, genome, test_accuracy=0.5, validation_accuracy=0.5, training=None):
    save_model(path, model, genome=genome, mean=data["mean"], scale=data["scale"],
               class_names=data["class_names"], feature_names=data["feature_names"],
               test_accuracy=test_accuracy, validation_accuracy=validation_accuracy, seed=7,
               training=training or {"epochs": 3, "lr": 0.003})


@pytest.fixture(scope="module")
def trained(wine, tmp_path_factory):
    """A model trained by train_final and saved as the pipeline will save it."""
    s, y = wine["std"], wine["y"]
    model, result = train_final(TRAINED, s["train"], y["train"], s["val"], y["val"],
                                s["test"], y["test"], seed=3, epochs=25, patience=None, lr=0.02)
    path = tmp_path_factory.mktemp("model") / "seed0.pt"
    _save(path, model, wine, TRAINED, result["test_accuracy"], result["validation_accuracy"],
          training={k: result[k] for k in ("epochs", "patience", "lr", "batch_size", "dtype")})
    return model, result, path


def test_loaded_model_predicts_exactly_as_the_trained_one(wine, trained):
    model, _, path = trained
    loaded = load_model(path)
    expected = model(torch.as_tensor(wine["std"]["test"])).detach()
    assert np.array_equal(loaded.predict_proba(wine["raw"]["test"]),
                          torch.softmax(expected.double(), dim=1).numpy())
    names = np.asarray(wine["class_names"])
    assert list(loaded.predict(wine["raw"]["test"])) == list(names[expected.argmax(1).numpy()])
    for key, value in model.state_dict().items():
        assert torch.equal(loaded.module.state_dict()[key], value), key


def test_predict_on_the_test_split_reproduces_the_recorded_accuracy(wine, trained):
    _, result, path = trained
    loaded = load_model(path)
    truth = np.asarray(wine["class_names"])[wine["y"]["test"]]
    accuracy = np.mean(loaded.predict(wine["raw"]["test"]) == truth)
    assert result["test_accuracy"] > 0.5  # a trained model, not a lucky constant
    assert accuracy == loaded.test_accuracy == result["test_accuracy"]
    # Rows as plain lists, as a user might pass them, give the same answer.
    assert np.array_equal(loaded.predict(wine["raw"]["test"].tolist()),
                          loaded.predict(wine["raw"]["test"]))


def test_a_float64_model_reproduces_its_accuracy_in_float64(wine, tmp_path):
    s, y = wine["std"], wine["y"]
    model, result = train_final(TRAINED, s["train"], y["train"], s["val"], y["val"],
                                s["test"], y["test"], seed=3, epochs=5, patience=None, lr=0.02,
                                dtype="float64")
    path = tmp_path / "m.pt"
    _save(path, model, wine, TRAINED, result["test_accuracy"])
    loaded = load_model(path)
    assert loaded.module.pre.weight.dtype == torch.float64
    # Training saw float32-rounded features, cast to float64; so must predict.
    expected = model(torch.as_tensor(s["test"], dtype=torch.float64)).detach()
    assert np.array_equal(loaded.predict_proba(wine["raw"]["test"]),
                          torch.softmax(expected, dim=1).numpy())
    truth = np.asarray(wine["class_names"])[y["test"]]
    assert np.mean(loaded.predict(wine["raw"]["test"]) == truth) == result["test_accuracy"]
    assert load_model(path, dtype=torch.float32).module.pre.weight.dtype == torch.float32


def test_the_file_carries_what_a_user_needs(wine, trained):
    _, result, path = trained
    loaded = load_model(path)
    assert loaded.genome == TRAINED
    assert loaded.class_names == wine["class_names"]
    assert loaded.feature_names == wine["feature_names"]
    assert loaded.validation_accuracy == result["validation_accuracy"]
    assert loaded.seed == 7 and loaded.training["epochs"] == 25
    assert loaded.versions == {"faqnas": faqnas.__version__, "torch": str(torch.__version__)}
    proba = loaded.predict_proba(wine["raw"]["val"])
    assert proba.shape == (len(wine["raw"]["val"]), 3)
    assert np.allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-12)


def test_dataframe_columns_are_matched_by_name(wine, trained):
    pd = pytest.importorskip("pandas")
    loaded = load_model(trained[2])
    frame = pd.DataFrame(wine["raw"]["test"], columns=wine["feature_names"])
    shuffled = frame[frame.columns[::-1]]
    assert np.array_equal(loaded.predict(shuffled), loaded.predict(wine["raw"]["test"]))
    with pytest.raises(ValueError, match="lacks the feature columns.*'alcohol'"):
        loaded.predict(frame.drop(columns="alcohol"))


@pytest.mark.parametrize("rows, message", [
    (np.zeros((2, 12)), r"expects 13 features per row, got shape \(2, 12\)"),
    (np.zeros(13), r"expects 13 features.*reshape\(1, -1\)"),
    ([[0.0] * 12 + [float("nan")]], r"NaN or infinite values in rows \[0\]"),
    ([["a"] * 13], "must hold numbers only"),
])
def test_bad_rows_are_refused_with_what_is_expected(trained, rows, message):
    loaded = load_model(trained[2])
    with pytest.raises(ValueError, match=message):
        loaded.predict(rows)


# Both embeddings, both entanglers, both topologies, 2-4 qubits, 1-4 layers,
# and each simulator strategy (trig, dense, product).
PENNYLANE_CASES = [
    Genome(2, "angle", ROT, "CNOT", "linear", 1),
    Genome(2, "amplitude", ROT, "CZ", "circular", 4),
    Genome(3, "amplitude", ("RX", "RZ", "RY", "RX"), "CNOT", "circular", 3),
    Genome(4, "angle", ("RX", "RY", "RX", "RY"), "CZ", "circular", 4),
    Genome(4, "angle", ("RY", "RZ", "RZ", "RZ"), "CNOT", "linear", 3),
    Genome(4, "amplitude", ROT, "CZ", "linear", 2),
]


@pytest.mark.parametrize("genome", PENNYLANE_CASES, ids=lambda g: g.phenotype_key)
def test_pennylane_rebuild_gives_the_same_predictions(wine, tmp_path, genome):
    # Random weights (uniform angles in [0, 2π)) exercise the whole circuit,
    # where trained ones might sit near a few values.
    model = build_model(genome, 13, 3, seed=5)
    path = tmp_path / "m.pt"
    _save(path, model, wine, genome)
    rows = np.concatenate([wine["raw"]["test"], wine["raw"]["val"]])
    simulator, reference = load_model(path), load_model(path, backend="pennylane")
    assert type(reference.module.quantum).__name__ == "TorchLayer"
    p_sim, p_ref = simulator.predict_proba(rows), reference.predict_proba(rows)
    assert np.abs(p_sim - p_ref).max() <= 1e-6
    # Same classes wherever the top two are not within rounding of a tie.
    top2 = np.sort(p_sim, axis=1)[:, -2:]
    clear = top2[:, 1] - top2[:, 0] > 1e-5
    assert np.array_equal(simulator.predict(rows)[clear], reference.predict(rows)[clear])


def test_pennylane_rebuild_is_exact_in_float64(wine, tmp_path):
    genome = PENNYLANE_CASES[3]
    path = tmp_path / "m.pt"
    _save(path, build_model(genome, 13, 3, seed=6), wine, genome)
    rows = wine["raw"]["test"]
    p_sim = load_model(path, dtype=torch.float64).predict_proba(rows)
    p_ref = load_model(path, backend="pennylane", dtype=torch.float64).predict_proba(rows)
    assert np.abs(p_sim - p_ref).max() <= 1e-10


def test_a_model_trained_on_pennylane_saves_under_simulator_names(wine, tmp_path):
    genome = Genome(2, "amplitude", ROT, "CNOT", "circular", 2)
    model = build_model(genome, 13, 3, seed=8, backend="pennylane")
    path = tmp_path / "m.pt"
    _save(path, model, wine, genome)
    state = torch.load(path, weights_only=True)["state_dict"]
    assert torch.equal(state["quantum.weights"], model.quantum.weights.detach())
    rows = wine["raw"]["test"]
    expected = model(torch.as_tensor(((rows - wine["mean"]) / wine["scale"]).astype(np.float32)))
    assert np.abs(load_model(path).predict_proba(rows)
                  - torch.softmax(expected.detach().double(), 1).numpy()).max() <= 1e-6


def test_weight_mapping_checks_the_shape():
    genome = Genome(3, "angle", ROT, "CZ", "linear", 2)
    state = {"quantum.weights": torch.zeros(3, 2), "pre.weight": torch.zeros(3, 5)}
    with pytest.raises(ValueError, match=r"shape \(2, 3\), found \(3, 2\)"):
        pennylane_state_dict(state, genome)


# --------------------------------------------------------------------- refusals


class Payload:
    """Creates a folder when unpickled: what a malicious model file could do."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return os.mkdir, (self.marker,)


def _content(path):
    return torch.load(path, weights_only=True)


def _write_truncated(valid, path):
    data = valid.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _write_with(change):
    def write(valid, path):
        content = _content(valid)
        change(content)
        torch.save(content, path)
    return write


BAD_FILES = {
    "missing": (lambda valid, path: None, "no such model file"),
    "truncated": (_write_truncated, "not a readable torch file"),
    "random bytes": (lambda valid, path: path.write_bytes(os.urandom(2000)),
                     "not a readable torch file"),
    "text": (lambda valid, path: path.write_text("label,x\n1,2\n"), "not a readable torch file"),
    "plain pickle": (lambda valid, path: path.write_bytes(pickle.dumps({"format": FORMAT})),
                     "not a readable torch file"),
    "bare state_dict": (lambda valid, path: torch.save(_content(valid)["state_dict"], path),
                        r"not a faqnas model file \(no format tag.*'pre.bias'"),
    "other format": (_write_with(lambda c: c.update(format="other")), "not a faqnas model file"),
    "newer version": (_write_with(lambda c: c.update(format_version=2)),
                      "format version 2; faqnas .* reads version 1"),
    "missing keys": (_write_with(lambda c: [c.pop("scale"), c.pop("class_names")]),
                     "lacks scale, class_names"),
    "wrong weights": (_write_with(lambda c: c["genes"].update(n_qubits=4)),
                      "(?s)inconsistent faqnas model file.*size mismatch for quantum.weights"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_bad_files_are_refused_naming_the_file(trained, tmp_path, kind):
    write, message = BAD_FILES[kind]
    path = tmp_path / "bad model.pt"
    write(trained[2], path)
    with pytest.raises(ModelFileError, match=message) as info:
        load_model(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, ValueError)


def test_files_are_read_without_running_pickled_code(trained, tmp_path):
    content = _content(trained[2])
    marker = tmp_path / "code-ran"
    content["training"] = {"epochs": 3, "note": Payload(marker)}
    path = tmp_path / "evil.pt"
    torch.save(content, path)
    with pytest.raises(ModelFileError, match="refused.*only pickle could rebuild") as info:
        load_model(path)
    assert str(path) in str(info.value)
    assert not marker.exists()
    # The payload is live: a pickle-trusting load would have run it.
    torch.load(path, weights_only=False)
    assert marker.is_dir()


def test_save_refuses_what_could_not_be_loaded_and_keeps_the_old_file(wine, trained, tmp_path):
    model, _, valid = trained
    path = tmp_path / "model.pt"
    path.write_bytes(valid.read_bytes())
    with pytest.raises(TypeError, match="plain values"):
        _save(path, model, wine, TRAINED, training={"when": Payload(tmp_path / "x")})
    assert path.read_bytes() == valid.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.pt"]  # no temp file left
    _save(path, model, wine, TRAINED)  # overwrites in place
    assert load_model(path).test_accuracy == 0.5


@pytest.mark.parametrize("change, message", [
    (dict(class_names=["a", "b"]), "2 class names for a model with 3 outputs"),
    (dict(mean=np.zeros(12)), r"mean must be 13 finite numbers, got shape \(12,\)"),
    (dict(scale=np.r_[np.ones(12), 0.0]), "scale must be positive"),
    (dict(feature_names=["x"]), "1 feature names for 13 features"),
    (dict(genome=Genome(3, "angle", ROT, "CZ", "linear", 2)), "is not the model's"),
])
def test_save_checks_that_the_pieces_fit(wine, trained, tmp_path, change, message):
    kwargs = dict(genome=TRAINED, mean=wine["mean"], scale=wine["scale"],
                  class_names=wine["class_names"], feature_names=wine["feature_names"],
                  test_accuracy=0.5, validation_accuracy=0.5, seed=1, training={})
    with pytest.raises(ValueError, match=message):
        save_model(tmp_path / "m.pt", trained[0], **{**kwargs, **change})
    assert not (tmp_path / "m.pt").exists()


def test_importing_faqnas_stays_light_and_offers_load_model():
    code = (
        "import sys, faqnas\n"
        "assert 'torch' not in sys.modules, 'import faqnas imported torch'\n"
        "import faqnas.final.export\n"
        "assert faqnas.load_model is faqnas.final.export.load_model\n"
        "assert faqnas.ModelFileError is faqnas.final.export.ModelFileError\n"
        "assert 'load_model' in dir(faqnas)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        faqnas.nonsense
