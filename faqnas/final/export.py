"""Trained models as files: save one, load it back, classify raw feature rows.

A model file is one ``torch.save`` archive holding only tensors and plain
Python values (dicts, lists, str, int, float, bool, None), so `load_model`
reads it with ``torch.load(weights_only=True)``: loading a file never runs
code from it. It holds

- ``format`` (`FORMAT`) and ``format_version`` (`FORMAT_VERSION`);
- ``genes`` (`faqnas.space.Genome.to_genes`) and ``state_dict``, the HQNN's
  weights under the simulator's parameter names (``pre.weight``,
  ``pre.bias``, ``quantum.weights``, ``post.weight``, ``post.bias``);
- ``mean`` and ``scale``: the standardisation, float tensors of length
  n_features; a raw row x enters the network as ``(x - mean) / scale``,
  computed in their dtype and then rounded to float32, as
  `faqnas.data.standardise` prepares every split;
- ``class_names``, ``feature_names`` (or None), ``test_accuracy``,
  ``validation_accuracy``, ``seed``, ``training`` (settings, plain values);
- ``versions``: the faqnas and torch versions that wrote it.

The same weights rebuild the model on either quantum backend: the simulator
(fast) or PennyLane's ``TorchLayer`` (the reference), see
`pennylane_state_dict`.
"""

from __future__ import annotations

import io
import os
import pickle
from pathlib import Path
from typing import Sequence

import numpy as np
import torch

from faqnas import __version__
from faqnas.evaluation.circuits import weight_shapes
from faqnas.evaluation.model import BACKENDS, HQNN
from faqnas.evaluation.train import log_probabilities
from faqnas.files import atomic_write
from faqnas.search.space import Genome

FORMAT = "faqnas.trained_model"
FORMAT_VERSION = 1
_KEYS = (
    "format",
    "format_version",
    "genes",
    "state_dict",
    "mean",
    "scale",
    "class_names",
    "feature_names",
    "test_accuracy",
    "validation_accuracy",
    "seed",
    "training",
    "versions",
)
# The simulator's name of the quantum weights; every other parameter
# (the two Linear layers) has the same name on both backends.
_SIMULATOR_WEIGHTS = "quantum.weights"


class ModelFileError(ValueError):
    """A model file is missing, unreadable, or not a faqnas model file of a
    format this version reads; the message names the file and the problem."""


def pennylane_state_dict(state: dict[str, torch.Tensor], genome: Genome) -> dict:
    """A saved state dict renamed for an HQNN built with ``backend="pennylane"``.

    The simulator's ``quantum.weights`` (n_layers, n_qubits) holds the angle
    of rotation layer l on wire w at [l, w]; PennyLane's ``TorchLayer``
    holds the same angles, indexed the same way, in its one weight tensor
    named by `faqnas.circuits.weight_shapes` (the QNode reads
    ``weights[layer, w]``). Both compute the same circuit to 1e-10 in
    float64 (tests/test_circuits_simulator.py). The Linear layers are
    shared as they are.

    Args:
        state (dict[str, torch.Tensor]): HQNN weights under simulator names.
        genome (Genome): the circuit the weights belong to.

    Returns:
        dict[str, torch.Tensor]: the same tensors under the TorchLayer model's names.

    Raises:
        ValueError: the quantum weights are missing or have the wrong shape.
    """
    ((name, shape),) = weight_shapes(genome).items()
    weights = state.get(_SIMULATOR_WEIGHTS)
    if weights is None or tuple(weights.shape) != tuple(shape):
        found = None if weights is None else tuple(weights.shape)
        raise ValueError(f"{_SIMULATOR_WEIGHTS} must have shape {tuple(shape)}, found {found}")
    renamed = {k: v for k, v in state.items() if k != _SIMULATOR_WEIGHTS}
    renamed[f"quantum.{name}"] = weights
    return renamed


def save_model(
    path: str | os.PathLike,
    model: HQNN,
    *,
    genome: Genome,
    mean: np.ndarray,
    scale: np.ndarray,
    class_names: Sequence[str],
    feature_names: Sequence[str] | None,
    test_accuracy: float,
    validation_accuracy: float,
    seed: int,
    training: dict,
) -> None:
    """Write a trained HQNN and what it needs to classify raw rows to one file.

    The file is written to a temporary name beside ``path`` and renamed into
    place, so a killed job leaves the old file or the new one, never half.

    Args:
        path (str | os.PathLike): the ``.pt`` file to write; folders are created.
        model (HQNN): the trained network (simulator or PennyLane backend).
        genome (Genome): its genome (must be ``model.genome``).
        mean (np.ndarray): per-feature mean of the standardisation (`faqnas.data.split.standardisation`).
        scale (np.ndarray): per-feature scale of the standardisation.
        class_names (Sequence[str]): one name per output of the network, in order.
        feature_names (Sequence[str] | None): names of the raw columns, if known.
        test_accuracy (float): accuracy on the test split, as recorded.
        validation_accuracy (float): accuracy on the validation split, as recorded.
        seed (int): the training seed.
        training (dict): training settings; plain values only (no numpy scalars).

    Raises:
        ValueError: the pieces do not fit together (sizes, genome, scale <= 0).
        TypeError: ``training`` holds values that could only be loaded with pickle.
    """
    if genome != model.genome:
        raise ValueError(
            f"genome {genome.phenotype_key} is not the model's {model.genome.phenotype_key}"
        )
    n_features, n_classes = model.pre.in_features, model.post.out_features
    mean, scale = (
        _float_vector(v, name, n_features) for v, name in ((mean, "mean"), (scale, "scale"))
    )
    if not np.all(scale > 0):
        raise ValueError("scale must be positive in every feature")
    if len(class_names) != n_classes:
        raise ValueError(f"{len(class_names)} class names for a model with {n_classes} outputs")
    if feature_names is not None and len(feature_names) != n_features:
        raise ValueError(f"{len(feature_names)} feature names for {n_features} features")
    state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
    if model.backend == "pennylane":
        # Files always hold simulator names, whichever backend trained the model.
        ((name, _),) = weight_shapes(genome).items()
        state[_SIMULATOR_WEIGHTS] = state.pop(f"quantum.{name}")
    content = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "genes": genome.to_genes(),
        "state_dict": state,
        "mean": torch.from_numpy(mean),
        "scale": torch.from_numpy(scale),
        "class_names": [str(c) for c in class_names],
        "feature_names": None if feature_names is None else [str(f) for f in feature_names],
        "test_accuracy": float(test_accuracy),
        "validation_accuracy": float(validation_accuracy),
        "seed": int(seed),
        "training": training,
        # str(): torch.__version__ is a str subclass that weights_only refuses.
        "versions": {"faqnas": __version__, "torch": str(torch.__version__)},
    }
    buffer = io.BytesIO()
    torch.save(content, buffer)
    # Refuse to write what load_model could not read back without pickle.
    try:
        torch.load(io.BytesIO(buffer.getvalue()), weights_only=True)
    except pickle.UnpicklingError as exc:
        raise TypeError(
            f"{path}: training settings must be plain values (dict, list, str, int, "
            f"float, bool, None); {_refusal(exc)}"
        ) from exc
    atomic_write(path, lambda fh: fh.write(buffer.getbuffer()))


def _refusal(exc: pickle.UnpicklingError) -> str:
    """What torch's weights-only unpickler objected to.

    torch raises its long generic advice ``from None``; the specific reason
    (e.g. "unsupported GLOBAL posix.system") is the exception it replaced.
    """
    inner = exc.__context__ if exc.__context__ is not None else exc
    lines = [line.strip() for line in str(inner).splitlines() if line.strip()]
    return lines[0] if lines else type(inner).__name__


def _is_refused_object(exc: pickle.UnpicklingError) -> bool:
    # A class or function the file names (a pickled object), as opposed to
    # bytes that are no pickle at all ("Unsupported operand").
    return "global" in _refusal(exc).lower()


def _float_vector(values, name: str, length: int) -> np.ndarray:
    array = np.array(values, copy=True)
    if array.dtype.kind != "f":
        array = array.astype(np.float64)
    if array.shape != (length,) or not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be {length} finite numbers, got shape {array.shape}")
    return array


def load_model(
    path: str | os.PathLike, backend: str = "simulator", dtype: torch.dtype | None = None
) -> "TrainedModel":
    """Load a model file written by `save_model`, without running code from it.

    Args:
        path (str | os.PathLike): the ``.pt`` file.
        backend (str): ``"simulator"`` (fast) or ``"pennylane"`` (the reference
            ``TorchLayer``); both give the same predictions.
        dtype (torch.dtype | None): ``torch.float32`` or ``torch.float64`` for
            the network; None (default) takes the saved weights' dtype (float32
            unless trained in float64), the one that reproduces the recorded
            accuracies exactly.

    Returns:
        TrainedModel: the network with its standardisation and class names.

    Raises:
        ModelFileError: the file is missing, truncated, not a torch file, holds
            pickled objects, or is not a faqnas model file of format version
            `FORMAT_VERSION` (the message names the file).
        ValueError: ``backend`` is not one of `faqnas.model.BACKENDS`.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    path = Path(path)
    content = _read(path)
    try:
        genome = Genome.from_genes(content["genes"])
        mean, scale = (content[k].numpy() for k in ("mean", "scale"))
        class_names = [str(c) for c in content["class_names"]]
        state = content["state_dict"]
        dtype = dtype or state[_SIMULATOR_WEIGHTS].dtype
        module = HQNN(genome, len(mean), len(class_names), backend=backend, dtype=dtype)
        if backend == "pennylane":
            state = pennylane_state_dict(state, genome)
        module.load_state_dict(state)
    except (KeyError, TypeError, ValueError, AttributeError, RuntimeError) as exc:
        raise ModelFileError(f"{path}: inconsistent faqnas model file: {exc}") from exc
    module.eval()
    return TrainedModel(
        module=module,
        genome=genome,
        mean=mean,
        scale=scale,
        class_names=class_names,
        feature_names=content["feature_names"],
        test_accuracy=content["test_accuracy"],
        validation_accuracy=content["validation_accuracy"],
        seed=content["seed"],
        training=content["training"],
        versions=content["versions"],
        path=path,
    )


def _read(path: Path) -> dict:
    """The file's contents after checking the format tag, version and keys."""
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file")
    try:
        content = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        if _is_refused_object(exc):
            raise ModelFileError(
                f"{path}: refused: the file holds objects that only pickle could rebuild, "
                f"by running code from the file ({_refusal(exc)})"
            ) from exc
        raise ModelFileError(
            f"{path}: not a readable torch file (truncated or corrupt?): {_refusal(exc)}"
        ) from exc
    # torch reports a damaged archive with assorted exception types
    # (RuntimeError, EOFError, OSError, ...): all mean "not a readable file".
    except Exception as exc:
        raise ModelFileError(
            f"{path}: not a readable torch file (truncated or corrupt?): "
            f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        ) from exc
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        what = (
            f"a dict with keys {sorted(map(str, content))[:6]}"
            if isinstance(content, dict)
            else (f"a {type(content).__name__}")
        )
        raise ModelFileError(
            f"{path}: not a faqnas model file (no format tag {FORMAT!r}; it holds {what})"
        )
    version = content.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelFileError(
            f"{path}: faqnas model format version {version!r}; faqnas {__version__} "
            f"reads version {FORMAT_VERSION}"
        )
    missing = [k for k in _KEYS if k not in content]
    if missing:
        raise ModelFileError(f"{path}: faqnas model file lacks {', '.join(missing)}")
    return content


class TrainedModel:
    """A loaded HQNN that classifies raw feature rows.

    Attributes:
        module (HQNN): the network (in eval mode), on the backend asked for.
        genome (Genome): its architecture.
        class_names (list[str]): the class of each output, in order.
        feature_names (list[str] | None): the raw columns it expects, in order.
        test_accuracy (float): accuracy on the test split, as recorded at training.
        validation_accuracy (float): accuracy on the validation split, as recorded.
        seed (int): the training seed.
        training (dict): training settings as saved.
        versions (dict): faqnas and torch versions that wrote the file.
        path (Path): the file it came from.
    """

    def __init__(
        self,
        *,
        module: HQNN,
        genome: Genome,
        mean: np.ndarray,
        scale: np.ndarray,
        class_names: list[str],
        feature_names: list[str] | None,
        test_accuracy: float,
        validation_accuracy: float,
        seed: int,
        training: dict,
        versions: dict,
        path: Path,
    ):
        self.module, self.genome = module, genome
        self.mean, self.scale = mean, scale
        self.class_names, self.feature_names = class_names, feature_names
        self.test_accuracy, self.validation_accuracy = test_accuracy, validation_accuracy
        self.seed, self.training, self.versions, self.path = seed, training, versions, path

    @property
    def n_features(self) -> int:
        """Number of raw feature columns the model expects."""
        return len(self.mean)

    def __repr__(self) -> str:
        return (
            f"TrainedModel({self.genome.phenotype_key}, backend={self.module.backend}, "
            f"{self.n_features} features, classes={self.class_names}, "
            f"test_accuracy={self.test_accuracy:.4f})"
        )

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row.

        Args:
            X (array-like): raw feature rows, shape (n_samples, n_features):
                numpy, nested lists, or a DataFrame (columns picked by name
                when the model knows its feature names).

        Returns:
            np.ndarray: class names (str), shape (n_samples,).

        Raises:
            ValueError: X is not 2-D, has the wrong number of columns (the
                message says how many are expected), missing named columns,
                or non-numeric or non-finite values.
        """
        return np.asarray(self.class_names)[self._log_probabilities(X).argmax(dim=1).numpy()]

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities of each row, columns in the order of ``class_names``.

        Args:
            X (array-like): raw feature rows, as for `predict`.

        Returns:
            np.ndarray: float64, shape (n_samples, n_classes), rows summing to 1.

        Raises:
            ValueError: as `predict`.
        """
        # softmax of the log-probabilities in float64: the same ranking as
        # `predict`, with rows that sum to 1 to float64 precision.
        return torch.softmax(self._log_probabilities(X).double(), dim=1).numpy()

    def _log_probabilities(self, X) -> torch.Tensor:
        rows = self._rows(X)
        # Rounded to float32 first whatever the network's dtype, because
        # that is how the training and test splits were stored.
        standardised = ((rows - self.mean) / self.scale).astype(np.float32)
        dtype = next(self.module.parameters()).dtype
        return log_probabilities(self.module, torch.as_tensor(standardised, dtype=dtype))

    def _rows(self, X) -> np.ndarray:
        if hasattr(X, "columns") and self.feature_names is not None:
            absent = [f for f in self.feature_names if f not in X.columns]
            if absent:
                raise ValueError(f"X lacks the feature columns {absent}")
            X = X[self.feature_names]
        try:
            rows = np.asarray(X, dtype=self.mean.dtype)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"X must hold numbers only: {exc}") from exc
        if rows.ndim != 2 or rows.shape[1] != self.n_features:
            raise ValueError(
                f"X must have shape (n_samples, {self.n_features}): this model expects "
                f"{self.n_features} features per row, got shape {rows.shape}"
                + ("; for one sample use X.reshape(1, -1)" if rows.ndim == 1 else "")
            )
        if not np.all(np.isfinite(rows)):
            bad = np.flatnonzero(~np.isfinite(rows).all(axis=1))
            raise ValueError(f"X has NaN or infinite values in rows {bad[:10].tolist()}")
        return rows
