"""Evaluating a genome: its HQNN (model, circuits, the fast simulator), its
FLOPs (profile), and its training (train, adam, evaluate)."""
