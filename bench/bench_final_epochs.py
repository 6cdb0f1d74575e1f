"""How many epochs final re-training needs, and whether early stopping pays.

For each dataset (scikit-learn's Iris, Wine, Breast Cancer, Digits, prepared
with `faqnas.data.prepare.prepare_dataset` under the held_out protocol),
its training, validation and test splits are used as the final stage
uses them (the results file was measured before the pipeline had a test
split, with the prepared validation split standing in for it). Each genome of a panel of sizes (2, 4, 6 qubits) is
trained ``--seeds`` times for ``--epochs`` epochs exactly as
`faqnas.final.train.train_final` trains (same initialisation, batch order and
Adam), recording per epoch the validation and test accuracy and the
seconds the epoch took (training and the validation pass; the extra test
pass of this benchmark is not counted).

Printed: the machine, mean validation accuracy per epoch (panel rows), the
epoch where it plateaus (first epoch within 1 point of the curve's
maximum), seconds per epoch, and for each (max epochs, patience) policy
the test accuracy of the epoch the policy keeps (best validation accuracy,
first on ties, as `train_final` keeps it), its loss against training all
``--epochs`` epochs, and the epochs and seconds it spends.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np
import torch

from faqnas.data.prepare import prepare_dataset
from faqnas.final.train import build_model
from faqnas.search.seeds import derive_seed
from faqnas.search.space import Genome
from faqnas.evaluation.train import Protocol, accuracy, train

ROT = ("RY", "RX", "RZ", "RY")
PANEL = [
    Genome(2, "angle", ROT, "CNOT", "linear", 1),
    Genome(4, "angle", ROT, "CZ", "circular", 2),
    Genome(4, "amplitude", ROT, "CNOT", "linear", 3),
    Genome(6, "angle", ROT, "CNOT", "circular", 3),
]
DATASETS = ("iris", "wine", "breast_cancer", "digits")
REPORT_EPOCHS = (5, 10, 20, 30, 40, 60, 100, 150, 200, 300, 400)
POLICIES = [
    (e, p)
    for e in (10, 20, 30, 40, 60, 100, 150, 200, 300, 400)
    for p in (None, 5, 10, 20, 50, 100)
    if p is None or p < e
]


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--epochs", type=int, default=400)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--datasets", nargs="+", default=list(DATASETS))
    p.add_argument("--threads", type=int, default=1, help="torch threads (genome jobs use 1)")
    p.add_argument("--run-seed", type=int, default=2025)
    p.add_argument(
        "--mnist-root",
        default="../shared/data/mnist",
        help="IDX files, for --datasets mnist (its official test set is the test split)",
    )
    return p.parse_args(argv)


def splits(name: str, run_seed: int, mnist_root: str):
    """(train, val, test) pairs of standardised features and labels, and the class count."""
    split = {"protocol": "held_out", "split_seed": run_seed}
    if name == "mnist":
        options = {**split, "root": mnist_root, "per_class": None, "val_per_class": 1000}
    else:
        options = {**split, "test_fraction": 0.2, "val_fraction": 0.2}
    data = prepare_dataset(name, options)
    return (
        (data.X_train, data.y_train),
        (data.X_val, data.y_val),
        (data.X_test, data.y_test),
        len(data.class_names),
    )


def curves(genome, train_split, val_split, test_split, n_classes, seed, epochs):
    """Per-epoch validation and test accuracy and seconds of one training run."""
    (X, y), (Xv, yv), (Xt, yt) = train_split, val_split, test_split
    model = build_model(genome, X.shape[1], n_classes, seed=seed)
    Xt_, yt_ = torch.as_tensor(Xt), torch.as_tensor(yt)
    test, seconds = [], []
    clock = [time.perf_counter()]

    def on_epoch(epoch, val_accuracy, loss):
        seconds.append(time.perf_counter() - clock[0])
        test.append(accuracy(model, Xt_, yt_))
        clock[0] = time.perf_counter()

    result = train(model, X, y, Xv, yv, Protocol(epochs=epochs), seed, on_epoch=on_epoch)
    return np.array(result["accuracy_per_epoch"]), np.array(test), np.array(seconds)


def policy(val: np.ndarray, max_epochs: int, patience: int | None) -> tuple[int, int]:
    """(kept epoch, epochs run), 1-based, as `faqnas.final.train_final` decides."""
    best, best_epoch = -1.0, 0
    for epoch in range(1, min(max_epochs, len(val)) + 1):
        if val[epoch - 1] > best:
            best, best_epoch = val[epoch - 1], epoch
        if patience is not None and epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, min(max_epochs, len(val))


def machine() -> str:
    model = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if "model name" in line),
        platform.processor(),
    )
    return (
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}; CPU {model}, {os.cpu_count()} cores; "
        f"torch {torch.__version__}, {torch.get_num_threads()} thread(s); load {os.getloadavg()[0]:.2f}"
    )


def main(argv=None) -> None:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    print(f"# final re-training epochs: {machine()}")
    print(
        f"# {args.seeds} seeds x {args.epochs} epochs, lr {Protocol.lr}, batch {Protocol.batch_size}"
    )
    runs = []  # (dataset, genome key, seed, val curve, test curve, seconds)
    for name in args.datasets:
        train_split, val_split, test_split, n_classes = splits(name, args.run_seed, args.mnist_root)
        print(
            f"# {name}: train {len(train_split[1])}, val {len(val_split[1])}, "
            f"test {len(test_split[1])}, {train_split[0].shape[1]} features, {n_classes} classes"
        )
        for genome in PANEL:
            for s in range(args.seeds):
                seed = derive_seed(args.run_seed, name, genome.phenotype_key, "final", s)
                runs.append(
                    (
                        name,
                        genome.phenotype_key,
                        s,
                        *curves(
                            genome, train_split, val_split, test_split, n_classes, seed, args.epochs
                        ),
                    )
                )
    print_curves(runs, args.epochs)
    print_policies(runs, args.epochs)


def print_curves(runs, epochs: int) -> None:
    shown = [e for e in REPORT_EPOCHS if e <= epochs]
    print("\n## Mean validation accuracy (%) over seeds after epoch e; plateau = first epoch")
    print("## within 1 point of the mean curve's maximum; s/ep = seconds per epoch")
    header = f"{'dataset':<14}{'genome':<38}" + "".join(f"{'e' + str(e):>6}" for e in shown)
    print(header + f"{'max':>6}{'plateau':>8}{'s/ep':>8}")
    for key in dict.fromkeys((r[0], r[1]) for r in runs):
        group = [r for r in runs if (r[0], r[1]) == key]
        mean = np.mean([r[3] for r in group], axis=0) * 100
        plateau = int(np.argmax(mean >= mean.max() - 1.0)) + 1
        per_epoch = np.mean([r[5] for r in group])
        cells = "".join(f"{mean[e - 1]:6.1f}" for e in shown)
        print(f"{key[0]:<14}{key[1]:<38}{cells}{mean.max():6.1f}{plateau:8d}{per_epoch:8.3f}")


def print_policies(runs, epochs: int) -> None:
    print(f"\n## Policies: test accuracy (%) of the kept epoch, mean over all {len(runs)} runs;")
    print(f"## loss = mean (and worst) drop against the reference (all {epochs} epochs, no")
    print("## early stopping), in points; epochs run and seconds relative to the reference")
    print(
        f"{'max epochs':>10}{'patience':>9}{'test %':>8}{'loss':>7}{'worst':>7}{'epochs':>8}{'time':>7}"
        + "".join(f"{d[:6]:>8}" for d in dict.fromkeys(r[0] for r in runs))
    )
    datasets = list(dict.fromkeys(r[0] for r in runs))

    def outcome(max_epochs, patience):
        kept, ran = zip(*(policy(r[3], max_epochs, patience) for r in runs))
        test = np.array([r[4][k - 1] for r, k in zip(runs, kept)]) * 100
        secs = np.array([r[5][:n].sum() for r, n in zip(runs, ran)])
        return test, np.array(ran), secs

    ref_test, ref_ran, ref_secs = outcome(epochs, None)
    for max_epochs, patience in POLICIES:
        if max_epochs > epochs:
            continue
        test, ran, secs = outcome(max_epochs, patience)
        loss = ref_test - test
        per_dataset = "".join(f"{test[[r[0] == d for r in runs]].mean():8.1f}" for d in datasets)
        print(
            f"{max_epochs:>10}{str(patience):>9}{test.mean():8.1f}{loss.mean():7.2f}{loss.max():7.1f}"
            f"{ran.sum() / ref_ran.sum():8.2f}{secs.sum() / ref_secs.sum():7.2f}{per_dataset}"
        )
    print(f"# reference: {ref_ran.sum()} epochs, {ref_secs.sum():.1f} s of training in all")


if __name__ == "__main__":
    main()
