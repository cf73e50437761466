"""The hard rules: which (newcomer, volunteer) pairs are feasible.

A pair is feasible only if all of these hold (the spec's numbering):
1. they share a language; 2. they share a weekly slot; 3. when both have a
location and the programme a limit, the great-circle distance is within it;
4. each side's gender preference is met by the other's gender; 5. a minor
newcomer's volunteer is background-checked; 6. neither excludes the other;
7. the newcomer is in no locked pair; 8. the volunteer has capacity left.

Candidates are blocked before any pair is looked at: by location with a k-d tree
(only volunteers within reach are paired with a newcomer) and by language (only
people who share one). Then every rule is a vectorised test over the pair arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from matching.features import EARTH_RADIUS_KM, Encoded, great_circle_km

# Newcomers per block when querying the k-d tree: bounds the memory held by
# within-reach pairs before the other rules thin them out.
BLOCK = 4096


@dataclass
class Pairs:
    """Feasible pairs, sorted by (newcomer, volunteer)."""

    n: np.ndarray  # int32 newcomer index
    v: np.ndarray  # int32 volunteer index
    distance_km: np.ndarray  # float64, NaN where a location is missing

    def __len__(self) -> int:
        return len(self.n)


def _chord(max_km: float) -> float:
    """The straight-line distance between two points on the unit sphere max_km apart."""
    return 2.0 * np.sin(min(max_km / EARTH_RADIUS_KM, np.pi) / 2.0)


def _language_pairs(enc: Encoded, n_rows: np.ndarray, v_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (n, v) in n_rows × v_rows that share a language, blocked by language."""
    if len(n_rows) == 0 or len(v_rows) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    m = len(enc.volunteers)
    keys = []
    for bit in range(len(enc.language_vocab)):
        word, mask = bit // 64, np.uint64(1) << np.uint64(bit % 64)
        ns = n_rows[(enc.newcomers.languages[n_rows, word] & mask) != 0]
        vs = v_rows[(enc.volunteers.languages[v_rows, word] & mask) != 0]
        if len(ns) and len(vs):
            keys.append((ns[:, None].astype(np.int64) * m + vs[None, :]).ravel())
    if not keys:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    unique = np.unique(np.concatenate(keys))
    return unique // m, unique % m


def _spatial_pairs(enc: Encoded, max_km: float) -> tuple[np.ndarray, np.ndarray]:
    """All located (n, v) within max_km, by k-d tree on unit vectors, a block of newcomers at a time."""
    nl = np.flatnonzero(enc.newcomers.located & ~enc.newcomer_locked)
    vl = np.flatnonzero(enc.volunteers.located & (enc.volunteer_capacity_left > 0))
    if len(nl) == 0 or len(vl) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    tree_v = cKDTree(enc.volunteers.xyz[vl])
    radius = _chord(max_km) * (1 + 1e-9) + 1e-12
    out_n, out_v = [], []
    for start in range(0, len(nl), BLOCK):
        rows = nl[start : start + BLOCK]
        found = cKDTree(enc.newcomers.xyz[rows]).sparse_distance_matrix(tree_v, radius, output_type="ndarray")
        if len(found) == 0:
            continue
        ni, vi = rows[found["i"]], vl[found["j"]]
        share = np.any(enc.newcomers.languages[ni] & enc.volunteers.languages[vi], axis=1)
        share &= (enc.newcomers.slots[ni] & enc.volunteers.slots[vi]) != 0
        out_n.append(ni[share])
        out_v.append(vi[share])
    if not out_n:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(out_n).astype(np.int64), np.concatenate(out_v).astype(np.int64)


def candidate_pairs(enc: Encoded) -> tuple[np.ndarray, np.ndarray]:
    """Pairs that may be feasible: within reach and sharing a language (rules 1 and 3 blocked)."""
    max_km = enc.problem.programme.max_distance_km
    n_open = np.flatnonzero(~enc.newcomer_locked)
    v_open = np.flatnonzero(enc.volunteer_capacity_left > 0)
    if max_km is None:
        return _language_pairs(enc, n_open, v_open)
    parts_n, parts_v = [], []
    sn, sv = _spatial_pairs(enc, max_km)
    parts_n.append(sn)
    parts_v.append(sv)
    # Rule 3 only binds when both have a location: anyone without one meets by language alone.
    n_unlocated = n_open[~enc.newcomers.located[n_open]]
    v_unlocated = v_open[~enc.volunteers.located[v_open]]
    for ns, vs in ((n_unlocated, v_open), (n_open[enc.newcomers.located[n_open]], v_unlocated)):
        ln, lv = _language_pairs(enc, ns, vs)
        parts_n.append(ln)
        parts_v.append(lv)
    return np.concatenate(parts_n), np.concatenate(parts_v)


def feasible_mask(enc: Encoded, ni: np.ndarray, vi: np.ndarray, distance_km: np.ndarray) -> np.ndarray:
    """Every hard rule, vectorised over candidate pairs."""
    N, V = enc.newcomers, enc.volunteers
    ok = np.any(N.languages[ni] & V.languages[vi], axis=1)  # 1
    ok &= (N.slots[ni] & V.slots[vi]) != 0  # 2
    max_km = enc.problem.programme.max_distance_km
    if max_km is not None:
        ok &= ~(distance_km > max_km)  # 3 (NaN, a missing location, passes)
    pref_n, pref_v = N.preference[ni], V.preference[vi]
    ok &= (pref_n < 0) | (pref_n == V.gender[vi])  # 4, the newcomer's wish
    ok &= (pref_v < 0) | (pref_v == N.gender[ni])  # 4, the volunteer's wish
    ok &= ~enc.newcomer_minor[ni] | enc.volunteer_checked[vi]  # 5
    if len(enc.exclusion_keys):
        ok &= ~np.isin(ni.astype(np.int64) * len(V) + vi, enc.exclusion_keys)  # 6
    ok &= ~enc.newcomer_locked[ni]  # 7
    ok &= enc.volunteer_capacity_left[vi] > 0  # 8
    return ok


def pair_distances(enc: Encoded, ni: np.ndarray, vi: np.ndarray) -> np.ndarray:
    N, V = enc.newcomers, enc.volunteers
    return great_circle_km(N.lat[ni], N.lon[ni], V.lat[vi], V.lon[vi])


def feasible_pairs(enc: Encoded) -> Pairs:
    ni, vi = candidate_pairs(enc)
    distance = pair_distances(enc, ni, vi)
    keep = feasible_mask(enc, ni, vi, distance)
    ni, vi, distance = ni[keep], vi[keep], distance[keep]
    order = np.lexsort((vi, ni))
    return Pairs(n=ni[order].astype(np.int32), v=vi[order].astype(np.int32), distance_km=distance[order])
