"""Training-seed noise of a tabular benchmark, measured two ways.

- Identical pairs: on 2 qubits the circular topology adds no coupling to the
  linear one (`faqnas.evaluation.circuits`), so the two phenotypes that
  differ only in topology are the same function trained with different
  training seeds (derived from the phenotype key). On Table I that is 480
  pairs per table seed, and the spread of their accuracy differences is pure
  training-seed noise, measurable even from a table of one seed. Their mean
  difference should be 0; an interval excluding 0 would say the pairs are not
  the same function after all.
- Seeds: the pooled standard deviation of each phenotype's accuracies over
  the table's seeds (every circuit, small and large).

The noise of one training run is the standard deviation sigma of one
accuracy; a pair's difference has variance 2 sigma^2, so sigma is
sqrt(mean d^2 / 2) (the differences have mean 0 by construction).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from faqnas.search.seeds import derive_seed
from faqnas.study.stats import RESAMPLES, interval

# The two measured accuracies of a table row, and the split each is scored on.
SPLITS = {"val_accuracy": "n_val", "test_accuracy": "n_test"}


def identical_pairs(table: pd.DataFrame) -> pd.DataFrame:
    """The 2-qubit linear/circular pairs of each table seed, side by side.

    Args:
        table: a tabular benchmark.

    Returns:
        One row per (pair, seed): the genes but topology, ``seed``, and
        ``val_accuracy`` and ``test_accuracy`` of each form, suffixed
        ``_linear`` and ``_circular``.
    """
    two = table[table["n_qubits"] == 2]
    # Rotation slots: as many as the space has layers (rot_1 .. rot_L).
    rotations = [c for c in table.columns if c.startswith("rot_")]
    keys = ["embedding", *rotations, "entangler", "n_layers", "seed"]
    columns = [*keys, *SPLITS]
    linear = two.loc[two["topology"] == "linear", columns]
    circular = two.loc[two["topology"] == "circular", columns]
    return linear.merge(circular, on=keys, suffixes=("_linear", "_circular"), validate="1:1")


def _rms_over_root2(d: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.sqrt(np.mean(d**2, axis=axis) / 2)


def _root_mean(v: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.sqrt(np.mean(v, axis=axis))


def pair_noise(pairs: pd.DataFrame, column: str, seed: int, resamples: int = RESAMPLES) -> dict:
    """One run's accuracy noise from the identical pairs.

    Args:
        pairs: `identical_pairs`.
        column: ``val_accuracy`` or ``test_accuracy``.
        seed, resamples: of the bootstrap over pairs.

    Returns:
        ``{"pairs", "sd", "sd_ci", "mean_difference", "mean_difference_ci"}``
        (None where there are no pairs).
    """
    d = (pairs[f"{column}_linear"] - pairs[f"{column}_circular"]).dropna().to_numpy()
    if not len(d):
        return {"pairs": 0, "sd": None, "sd_ci": None,
                "mean_difference": None, "mean_difference_ci": None}
    return {
        "pairs": len(d),
        "sd": float(_rms_over_root2(d)),
        "sd_ci": interval([d], _rms_over_root2, seed, resamples),
        "mean_difference": float(d.mean()),
        "mean_difference_ci": interval([d], np.mean, seed + 1, resamples),
    }


def seed_noise(table: pd.DataFrame, column: str, seed: int, resamples: int = RESAMPLES) -> dict:
    """One run's accuracy noise from each phenotype's spread over the table's seeds.

    Args:
        table: a tabular benchmark.
        column: ``val_accuracy`` or ``test_accuracy``.
        seed, resamples: of the bootstrap over phenotypes.

    Returns:
        ``{"seeds", "phenotypes", "df", "sd", "sd_ci"}``: the pooled standard
        deviation sqrt(mean of per-phenotype variances, ddof 1) with
        P (k - 1) degrees of freedom; ``sd`` None with one seed.
    """
    variances = table.groupby("phenotype_key")[column].var(ddof=1).dropna().to_numpy()
    seeds = int(table["seed"].nunique())
    if seeds < 2 or not len(variances):
        return {"seeds": seeds, "phenotypes": len(variances), "df": 0, "sd": None, "sd_ci": None}
    return {
        "seeds": seeds,
        "phenotypes": len(variances),
        "df": len(variances) * (seeds - 1),
        "sd": float(_root_mean(variances)),
        "sd_ci": interval([variances], _root_mean, seed, resamples),
    }


def noise(
    table: pd.DataFrame, split: dict, dataset: str, resamples: int = RESAMPLES
) -> dict[str, dict]:
    """Training-seed noise of both accuracies, and the margin "within the noise".

    Args:
        table: a tabular benchmark.
        split: the table's split sizes (``n_val``, ``n_test``).
        dataset: seeds the bootstraps, with the accuracy's name.
        resamples: bootstrap resamples.

    Returns:
        Per accuracy column: ``pairs`` (`pair_noise`), ``seeds``
        (`seed_noise`), ``one_sample`` (1 / the split's size), ``sd`` (the
        noise used: the seeds' if the table has several, else the pairs'),
        ``df`` (its degrees of freedom) and ``margin``: the larger of one
        sample and ``sd``, the least difference a verdict treats as real.

    Raises:
        ValueError: neither the seeds nor the pairs measure any noise.
    """
    pairs = identical_pairs(table)
    out = {}
    for column, size in SPLITS.items():
        by_pairs = pair_noise(pairs, column, derive_seed(0, dataset, column, "pairs"), resamples)
        by_seeds = seed_noise(table, column, derive_seed(0, dataset, column, "seeds"), resamples)
        if by_seeds["sd"] is not None:
            sd, df = by_seeds["sd"], by_seeds["df"]
        elif by_pairs["sd"] is not None:
            sd, df = by_pairs["sd"], by_pairs["pairs"]
        else:
            raise ValueError(f"{dataset}: one seed and no 2-qubit pairs: no noise to measure")
        one_sample = 1.0 / split[size]
        out[column] = {"pairs": by_pairs, "seeds": by_seeds, "one_sample": one_sample,
                       "sd": sd, "df": df, "margin": max(one_sample, sd)}
    return out
