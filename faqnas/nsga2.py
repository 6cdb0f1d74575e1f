"""Pure numpy NSGA-II (Deb et al. 2002) as used by FAQNAS (Sec. II-D).

All objectives are minimised; an objective matrix ``F`` has one row per
individual. Every random draw comes from a passed ``np.random.Generator``.
Line numbers refer to the FAQNAS pseudocode.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from faqnas.space import Genome, SearchSpace


def _objectives(F) -> np.ndarray:
    F = np.asarray(F, dtype=float)
    if F.ndim != 2:
        raise ValueError(f"objectives must be a 2-d array (n, m), got shape {F.shape}")
    if np.isnan(F).any():
        # NaN compares false both ways, so it would silently sit in front 0.
        raise ValueError("objectives contain NaN")
    return F


# -- ranking ------------------------------------------------------------------
def non_dominated_fronts(F) -> list[np.ndarray]:
    """Deb's fast non-dominated sort: fronts of row indices, best first.

    Identical points do not dominate each other, so they share a front.
    Indices within a front are ascending.
    """
    F = _objectives(F)
    le = np.all(F[:, None, :] <= F[None, :, :], axis=2)
    lt = np.any(F[:, None, :] < F[None, :, :], axis=2)
    dominates = le & lt  # dominates[i, j]: i dominates j
    n_dominators = dominates.sum(axis=0)
    fronts = []
    front = np.flatnonzero(n_dominators == 0)
    while front.size:
        fronts.append(front)
        n_dominators[front] = -1  # never ranked twice
        n_dominators -= dominates[front].sum(axis=0)
        front = np.flatnonzero(n_dominators == 0)
    return fronts


def ranks(F) -> np.ndarray:
    """Front number of each row (0 = non-dominated)."""
    F = _objectives(F)
    rank = np.empty(len(F), dtype=np.int64)
    for r, front in enumerate(non_dominated_fronts(F)):
        rank[front] = r
    return rank


def crowding_distance(F_front) -> np.ndarray:
    """NSGA-II crowding distance of the points of one front, as pymoo's "cd".

    Per objective, points are sorted by a stable sort (ties keep index order);
    the first and last get infinity, the others the range-normalised gap
    between their sorted neighbours; the sum is divided by the number of
    objectives (a constant factor pymoo applies; orderings are unaffected).
    An objective with zero range contributes 0, even at its boundaries.
    Consequences for duplicates: of a group of equal values only the lowest
    index can be the lower boundary and the highest index the upper one, and
    inner duplicates see a zero gap on one side, so duplicates get little
    credit for diversity. Fronts of at most two points are all infinite.
    """
    F = _objectives(F_front)
    n, m = F.shape
    if n <= 2:
        return np.full(n, np.inf)
    order = np.argsort(F, axis=0, kind="stable")
    S = np.take_along_axis(F, order, axis=0)
    span = S[-1] - S[0]
    padded = np.vstack([np.full(m, -np.inf), S, np.full(m, np.inf)])
    with np.errstate(invalid="ignore", divide="ignore"):
        # Two one-sided gaps (not their sum) so values equal pymoo's bit for bit.
        to_prev = (padded[1:-1] - padded[:-2]) / span
        to_next = (padded[2:] - padded[1:-1]) / span
    sorted_cd = np.where(span > 0, to_prev + to_next, 0.0)
    cd = np.empty_like(sorted_cd)
    np.put_along_axis(cd, order, sorted_cd, axis=0)
    return cd.sum(axis=1) / m


def rank_and_crowding(F) -> tuple[np.ndarray, np.ndarray]:
    """Rank of every row and its crowding distance within its own front (line 7)."""
    F = _objectives(F)
    rank = np.empty(len(F), dtype=np.int64)
    crowding = np.empty(len(F))
    for r, front in enumerate(non_dominated_fronts(F)):
        rank[front] = r
        crowding[front] = crowding_distance(F[front])
    return rank, crowding


def survivors(F, n: int) -> np.ndarray:
    """Indices of the ``n`` survivors of ``F`` (lines 17-26).

    Whole fronts are kept while they fit; the front that does not fit is cut
    by crowding distance (computed on that front alone) descending, equal
    distances by lower index, so the result depends on ``F`` only.
    """
    F = _objectives(F)
    if n < 0:
        raise ValueError(f"number of survivors must be >= 0, got {n}")
    kept: list[np.ndarray] = []
    room = n
    for front in non_dominated_fronts(F):
        if room == 0:
            break
        if len(front) <= room:
            kept.append(front)
            room -= len(front)
        else:
            cd = crowding_distance(F[front])
            order = np.lexsort((front, -cd))
            kept.append(front[order[:room]])
            room = 0
    return np.concatenate(kept) if kept else np.empty(0, dtype=np.int64)


def top_k(F, k: int) -> np.ndarray:
    """Indices of the ``k`` best rows by (rank, -crowding), ties by index."""
    rank, crowding = rank_and_crowding(F)
    return np.lexsort((np.arange(len(rank)), -crowding, rank))[:k]


def compromise_index(F) -> int:
    """Row closest (l2) to the ideal point after dividing each objective by its max.

    Objectives are assumed non-negative (they are here: FLOPs, error, params);
    an all-zero objective is left unscaled. The nearest row is always
    non-dominated, so passing a whole population gives a rank-0 point;
    the normalisation, however, depends on the set passed. Ties: lowest index.
    """
    F = _objectives(F)
    if len(F) == 0:
        raise ValueError("compromise of an empty set")
    scale = F.max(axis=0)
    scale[scale == 0] = 1.0
    N = F / scale
    return int(np.argmin(np.linalg.norm(N - N.min(axis=0), axis=1)))


# -- variation ------------------------------------------------------------------
def crowded_tournament(rng: np.random.Generator, rank, crowding, n: int) -> np.ndarray:
    """Winners of ``n`` binary tournaments between two distinct individuals.

    Lower rank wins, then larger crowding distance; full ties are a coin flip.
    """
    rank = np.asarray(rank)
    crowding = np.asarray(crowding, dtype=float)
    size = len(rank)
    if size == 0:
        raise ValueError("tournament on an empty population")
    if size == 1:
        return np.zeros(n, dtype=np.int64)
    a = rng.integers(0, size, n)
    b = (a + rng.integers(1, size, n)) % size
    coin = rng.random(n) < 0.5
    a_wins = (rank[a] < rank[b]) | (
        (rank[a] == rank[b])
        & ((crowding[a] > crowding[b]) | ((crowding[a] == crowding[b]) & coin))
    )
    return np.where(a_wins, a, b)


def uniform_crossover(rng: np.random.Generator, a, b, p_c: float) -> np.ndarray:
    """With probability ``p_c`` each gene from ``a`` or ``b`` (1/2 each), else a copy of ``a``."""
    a = np.asarray(a)
    b = np.asarray(b)
    if rng.random() >= p_c:
        return a.copy()
    return np.where(rng.random(a.shape) < 0.5, b, a)


def mutate(rng: np.random.Generator, x, cardinalities, p_m: float) -> np.ndarray:
    """Each gene, with probability ``p_m``, redrawn uniformly from its whole domain.

    The redraw may return the current value (the paper draws "from the gene's
    domain"), so a gene actually changes with probability p_m (1 - 1/k).
    """
    x = np.asarray(x)
    hit = rng.random(x.shape) < p_m
    return np.where(hit, rng.integers(0, np.asarray(cardinalities)), x)


# -- populations ------------------------------------------------------------------
def initial_population(
    rng: np.random.Generator, space: SearchSpace, n: int, max_tries: int = 1000
) -> list[Genome]:
    """``n`` uniformly sampled genomes with distinct phenotype keys (line 3).

    Each genome gets up to ``max_tries`` draws to find an unseen phenotype.
    """
    if n > space.n_phenotypes():
        raise ValueError(
            f"population size {n} exceeds the {space.n_phenotypes()} distinct "
            "circuits of the search space"
        )
    population: list[Genome] = []
    seen: set[str] = set()
    for _ in range(n):
        for _ in range(max_tries):
            genome = space.sample(rng)
            if genome.phenotype_key not in seen:
                break
        else:
            raise RuntimeError(
                f"no unseen phenotype after {max_tries} draws with {len(seen)} of "
                f"{space.n_phenotypes()} taken; raise max_tries or lower the population size"
            )
        seen.add(genome.phenotype_key)
        population.append(genome)
    return population


def propose_offspring(
    rng: np.random.Generator,
    space: SearchSpace,
    parents: list[Genome],
    rank,
    crowding,
    n: int,
    p_c: float,
    p_m: float,
    evaluated_keys: Iterable[str],
    max_tries: int = 100,
) -> list[Genome]:
    """``n`` offspring of ``parents`` by tournament, crossover, mutation (lines 11-14).

    An offspring whose phenotype was evaluated before (``evaluated_keys`` or
    a parent) or already proposed in this batch is redrawn from new parents,
    up to ``max_tries`` draws in all. The last draw is then kept even if it is
    a duplicate: a small or converged space can run out of unseen circuits,
    and a duplicate (whose result the evaluator may reuse) is better than
    failing the run or shrinking the population below ``n``.
    """
    if not len(parents) == len(rank) == len(crowding):
        raise ValueError("parents, rank and crowding must have the same length")
    if max_tries < 1:
        raise ValueError(f"max_tries must be >= 1, got {max_tries}")
    genes = np.array([space.encode(g) for g in parents])
    seen = set(evaluated_keys) | {g.phenotype_key for g in parents}
    cards = space.cardinalities
    offspring: list[Genome] = []
    for _ in range(n):
        for _ in range(max_tries):
            p1, p2 = crowded_tournament(rng, rank, crowding, 2)
            child = mutate(rng, uniform_crossover(rng, genes[p1], genes[p2], p_c), cards, p_m)
            genome = space.decode(child)
            if genome.phenotype_key not in seen:
                break
        seen.add(genome.phenotype_key)
        offspring.append(genome)
    return offspring


# -- termination ------------------------------------------------------------------
def rank0_signature(F) -> tuple:
    """The rank-0 front as a sorted tuple of distinct objective tuples (line 28).

    Distinct: a newcomer identical in objectives to a front member leaves the
    front, as a set of points in objective space, unchanged.
    """
    F = _objectives(F)
    if len(F) == 0:
        return ()
    front = F[non_dominated_fronts(F)[0]]
    return tuple(sorted({tuple(float(v) for v in row) for row in front}))


def stagnation(prev_sig: tuple, sig: tuple, prev_count: int) -> int:
    """Consecutive generations without change of the rank-0 front (line 28)."""
    return prev_count + 1 if sig == prev_sig else 0


def should_stop(
    generation: int, stagnation: int, max_generations: int, patience: int
) -> tuple[bool, str]:
    """Whether to stop after ``generation`` (0 = initial population), and why (lines 9, 29)."""
    if patience < 1:
        raise ValueError(f"stagnation patience T must be >= 1, got {patience}")
    if stagnation >= patience:
        return True, f"rank-0 front unchanged for {stagnation} generations (T={patience})"
    if generation >= max_generations:
        return True, f"reached the last generation (G={max_generations})"
    return False, ""
