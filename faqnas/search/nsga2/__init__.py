"""Pure numpy NSGA-II (Deb et al. 2002) as used by FAQNAS (Sec. II-D), one
operator per module as in pymoo.

All objectives are minimised; an objective matrix ``F`` has one row per
individual. Every random draw comes from a passed ``np.random.Generator``.
Line numbers in docstrings refer to the FAQNAS pseudocode.
"""

from faqnas.search.nsga2.crossover import uniform_crossover
from faqnas.search.nsga2.crowding import crowding_distance
from faqnas.search.nsga2.decision import compromise_index
from faqnas.search.nsga2.mutation import mutate
from faqnas.search.nsga2.reproduction import propose_offspring
from faqnas.search.nsga2.sampling import initial_population
from faqnas.search.nsga2.selection import crowded_tournament
from faqnas.search.nsga2.sorting import non_dominated_fronts, ranks
from faqnas.search.nsga2.survival import rank_and_crowding, survivors, top_k
from faqnas.search.nsga2.termination import rank0_signature, stagnation

__all__ = [
    "compromise_index",
    "crowded_tournament",
    "crowding_distance",
    "initial_population",
    "mutate",
    "non_dominated_fronts",
    "propose_offspring",
    "rank0_signature",
    "rank_and_crowding",
    "ranks",
    "stagnation",
    "survivors",
    "top_k",
    "uniform_crossover",
]
