"""Datasets: the registry of names, the readers (scikit-learn, MNIST IDX,
CSV), the split and standardisation, and the prepared data on disk."""
