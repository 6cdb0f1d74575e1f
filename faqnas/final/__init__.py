"""The final stage: the Pareto set of a search trained again from scratch
with several seeds, scored on the held-out test split, and exported
(`train`, `table`, `figure`, `export`)."""
