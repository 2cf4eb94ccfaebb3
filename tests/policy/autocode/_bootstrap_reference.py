"""The cluster bootstrap's documented recipe rebuilt without ihms: the clusters sorted
by id, resample ``b`` drawing ``numpy.random.default_rng(seed).integers(0, C, size=(B,
C))[b]`` of them whole, kappa by scikit-learn's ``cohen_kappa_score``."""

import numpy as np
from sklearn.metrics import cohen_kappa_score


def cluster_draws(units, n_boot, seed):
    """Each resample's rows: every row of each cluster drawn, clusters sorted by id."""
    units = np.asarray(units)
    ids = np.unique(units)
    for row in np.random.default_rng(seed).integers(0, len(ids), size=(n_boot, len(ids))):
        yield np.concatenate([np.flatnonzero(units == ids[j]) for j in row])


def cluster_kappas(first, second, units, n_boot, seed):
    """Cohen's kappa of ``first`` vs ``second`` in each resample of :func:`cluster_draws`."""
    first, second = np.asarray(first), np.asarray(second)
    return [cohen_kappa_score(first[r], second[r]) for r in cluster_draws(units, n_boot, seed)]
