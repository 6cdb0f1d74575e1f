"""A tabular benchmark seen per phenotype: its accuracies averaged over the
table's seeds, beside its F_Q, classical FLOPs and qubits."""

from __future__ import annotations

import pandas as pd

from faqnas.evaluation.flops_store import classical_flops


def phenotype_means(
    table: pd.DataFrame, flops: pd.DataFrame, n_features: int, n_classes: int
) -> pd.DataFrame:
    """One row per phenotype, its accuracies the mean over the table's seeds.

    Args:
        table: a tabular benchmark (`faqnas.tables.load`).
        flops: the FLOPs table (`faqnas.tables.load_flops`).
        n_features, n_classes: the dataset's (the table's description).

    Returns:
        Columns ``phenotype_key``, ``n_qubits``, ``topology``, ``F_Q``,
        ``F_classical`` (4·d·n + 6·n·C, `faqnas.evaluation.flops_store`),
        ``val_accuracy``, ``test_accuracy`` (means, NaN seeds left out) and
        ``seeds``, in phenotype-key order.

    Raises:
        KeyError: a phenotype of the table is not in the FLOPs table.
    """
    grouped = table.groupby("phenotype_key", sort=True)
    means = grouped.agg(
        n_qubits=("n_qubits", "first"),
        topology=("topology", "first"),
        val_accuracy=("val_accuracy", "mean"),
        test_accuracy=("test_accuracy", "mean"),
        seeds=("seed", "nunique"),
    ).reset_index()
    f_q = flops.set_index("phenotype_key")["F_Q"]
    missing = sorted(set(means["phenotype_key"]) - set(f_q.index))
    if missing:
        raise KeyError(f"the FLOPs table lacks {len(missing)} phenotypes of the table, "
                       f"e.g. {missing[:3]}: made for another search space?")
    means.insert(3, "F_Q", f_q.loc[means["phenotype_key"]].to_numpy())
    means.insert(4, "F_classical", [classical_flops(n_features, int(n), n_classes)
                                    for n in means["n_qubits"]])
    return means
