"""The FAQNAS search space (Table I of the paper) and its genomes.

A genome fixes one value per gene. Rotation gates are chosen per layer slot,
so a genome always carries ``max(n_layers)`` rotation genes even when it uses
fewer layers: that is how Table I counts 23,328 genotypes
(9 qubit counts x 2 embeddings x 3^4 rotation slots x 2 entanglers x
2 topologies x 4 depths). Slots beyond ``n_layers`` are inactive; the
*phenotype* key ignores them, which leaves 8,640 distinct circuits.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from typing import Iterator, Mapping

import numpy as np

TABLE_I: dict[str, tuple] = {
    "n_qubits": (2, 3, 4, 5, 6, 7, 8, 9, 10),
    "embedding": ("angle", "amplitude"),
    "rotations": ("RX", "RY", "RZ"),
    "entangler": ("CNOT", "CZ"),
    "topology": ("linear", "circular"),
    "n_layers": (1, 2, 3, 4),
}

# What any configured space may draw from; a config may narrow, never widen.
ALLOWED: dict[str, tuple] = TABLE_I

# A phenotype key (`Genome.phenotype_key`) as a regular expression, e.g. a
# Snakemake wildcard constraint.
PHENOTYPE_KEY_PATTERN = (
    r"q\d+_(angle|amplitude)_L\d+_(RX|RY|RZ)(-(RX|RY|RZ))*_(CNOT|CZ)_(linear|circular)"
)


@dataclass(frozen=True)
class Genome:
    n_qubits: int
    embedding: str
    rotations: tuple[str, ...]  # one gate per layer slot, len == max layers of the space
    entangler: str
    topology: str
    n_layers: int

    @property
    def active_rotations(self) -> tuple[str, ...]:
        return self.rotations[: self.n_layers]

    @property
    def phenotype_key(self) -> str:
        """Canonical name of the circuit: equal keys build identical models."""
        gates = "-".join(self.active_rotations)
        return (
            f"q{self.n_qubits}_{self.embedding}_L{self.n_layers}_{gates}"
            f"_{self.entangler}_{self.topology}"
        )

    def to_genes(self) -> dict:
        """Flat, JSON-friendly gene mapping (rotation slots as rot_1..rot_k)."""
        genes = {"n_qubits": self.n_qubits, "embedding": self.embedding}
        genes.update({f"rot_{i + 1}": g for i, g in enumerate(self.rotations)})
        genes.update(
            entangler=self.entangler, topology=self.topology, n_layers=self.n_layers
        )
        return genes

    @classmethod
    def from_genes(cls, genes: Mapping) -> "Genome":
        slots = sorted(
            (k for k in genes if k.startswith("rot_")), key=lambda k: int(k[4:])
        )
        return cls(
            n_qubits=int(genes["n_qubits"]),
            embedding=str(genes["embedding"]),
            rotations=tuple(str(genes[k]) for k in slots),
            entangler=str(genes["entangler"]),
            topology=str(genes["topology"]),
            n_layers=int(genes["n_layers"]),
        )


class SearchSpace:
    """Gene domains, encoding to integer vectors, sampling and enumeration.

    The integer encoding (one index into each gene's domain) is what the
    NSGA-II operators recombine and mutate; genes are ordered as
    ``gene_names``.
    """

    def __init__(self, domains: Mapping[str, tuple] = TABLE_I):
        missing = set(TABLE_I) - set(domains)
        unknown = set(domains) - set(TABLE_I)
        if missing or unknown:
            raise ValueError(
                f"search_space must have exactly the keys {sorted(TABLE_I)}; "
                f"missing {sorted(missing)}, unknown {sorted(unknown)}"
            )
        self.domains = {}
        for key in TABLE_I:
            values = tuple(domains[key])
            bad = [v for v in values if v not in ALLOWED[key]]
            if not values or bad or len(set(values)) != len(values):
                raise ValueError(
                    f"search_space.{key} = {list(values)} is not a non-empty list of "
                    f"distinct values from {list(ALLOWED[key])}"
                )
            self.domains[key] = tuple(sorted(values, key=ALLOWED[key].index))
        self.max_layers = max(self.domains["n_layers"])
        rot_slots = [f"rot_{i + 1}" for i in range(self.max_layers)]
        self.gene_names = ["n_qubits", "embedding", *rot_slots]
        self.gene_names += ["entangler", "topology", "n_layers"]
        self._gene_domain = {
            name: self.domains["rotations"] if name.startswith("rot_") else self.domains[name]
            for name in self.gene_names
        }

    # -- description -------------------------------------------------------
    def gene_domain(self, name: str) -> tuple:
        return self._gene_domain[name]

    @property
    def cardinalities(self) -> np.ndarray:
        return np.array([len(self._gene_domain[n]) for n in self.gene_names])

    def n_genotypes(self) -> int:
        return int(np.prod(self.cardinalities))

    def n_phenotypes(self) -> int:
        per_depth = sum(len(self.domains["rotations"]) ** L for L in self.domains["n_layers"])
        others = np.prod([len(self.domains[k]) for k in ("n_qubits", "embedding", "entangler", "topology")])
        return int(others * per_depth)

    def to_dict(self) -> dict:
        return {k: list(v) for k, v in self.domains.items()}

    def fingerprint(self) -> str:
        blob = json.dumps(self.to_dict(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:12]

    # -- encoding ----------------------------------------------------------
    def encode(self, genome: Genome) -> np.ndarray:
        self.validate(genome)
        genes = genome.to_genes()
        return np.array(
            [self._gene_domain[n].index(genes[n]) for n in self.gene_names], dtype=np.int64
        )

    def decode(self, vector) -> Genome:
        vector = np.asarray(vector)
        if vector.shape != (len(self.gene_names),):
            raise ValueError(f"gene vector must have length {len(self.gene_names)}, got {vector.shape}")
        genes = {}
        for name, idx in zip(self.gene_names, vector):
            domain = self._gene_domain[name]
            if not 0 <= int(idx) < len(domain):
                raise ValueError(f"gene {name}: index {int(idx)} outside 0..{len(domain) - 1}")
            genes[name] = domain[int(idx)]
        return Genome.from_genes(genes)

    def validate(self, genome: Genome) -> None:
        """Raise ValueError naming the first gene whose value is outside the space."""
        if len(genome.rotations) != self.max_layers:
            raise ValueError(
                f"genome has {len(genome.rotations)} rotation slots, the space has {self.max_layers}"
            )
        for name, value in genome.to_genes().items():
            if value not in self._gene_domain[name]:
                raise ValueError(
                    f"gene {name} = {value!r} is not in the search space {list(self._gene_domain[name])}"
                )

    # -- sampling and enumeration -----------------------------------------
    def sample(self, rng: np.random.Generator) -> Genome:
        """Each gene drawn independently and uniformly from its domain."""
        return self.decode(rng.integers(0, self.cardinalities))

    def genotypes(self) -> Iterator[Genome]:
        for idx in itertools.product(*(range(c) for c in self.cardinalities)):
            yield self.decode(np.array(idx))

    def phenotypes(self) -> Iterator[Genome]:
        """One genome per distinct circuit; inactive rotation slots hold the first gate."""
        filler = self.domains["rotations"][0]
        for q, emb, L, ent, top in itertools.product(
            self.domains["n_qubits"],
            self.domains["embedding"],
            self.domains["n_layers"],
            self.domains["entangler"],
            self.domains["topology"],
        ):
            for gates in itertools.product(self.domains["rotations"], repeat=L):
                rotations = gates + (filler,) * (self.max_layers - L)
                yield Genome(q, emb, rotations, ent, top, L)

    def phenotype_share(self, part: int, parts: int) -> list[Genome]:
        """Every ``parts``-th phenotype of `phenotypes`, from the ``part``-th
        on: one of ``parts`` shares that together cover the space once, each
        holding small and large circuits alike (jobs of similar cost).

        Raises:
            ValueError: ``part`` is not in 0..parts-1.
        """
        if not 0 <= part < parts:
            raise ValueError(f"part {part} is not in 0..{parts - 1}")
        return list(self.phenotypes())[part::parts]
