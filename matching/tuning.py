"""How the engine works a pool, as one explicit object: sizes of the pieces it works in and the
thresholds of the certified working-set solve (column generation: the flow is solved on a
working set of each newcomer's and each volunteer's best pairs, every other feasible pair is
priced by its reduced cost against the solution's dual potentials, and those that could improve
it join the set until none can).

None of these changes the answer: the property tests solve the same pools with tiny values
(blocks of a few entries, a working set of one pair each, every solve certified) and get the
same bytes. They change only how fast and in how much memory; bench/README.md says how each
was chosen. `encode(problem, tuning)` keeps it on the encoded pool, where every stage (and the
block pass's threads) reads it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tuning:
    # Entries (newcomers × volunteers) in one dense block of the rules: about 8 MB per temporary.
    block_entries: int = 1_000_000
    # Up to this many feasible pairs, the flow is solved on all of them at once; above it, on a
    # certified working set.
    direct_pairs: int = 200_000
    # The working set: each newcomer's best pairs in each block, and each volunteer's.
    keep_per_newcomer: int = 24
    keep_per_volunteer: int = 8
    # A pricing round that finds an improving pair also adds those that nearly improve (a gain
    # above -near_gain), each newcomer's add_per_newcomer best: the next solve moves the
    # potentials, and those are the pairs it would find next.
    near_gain: int = 50_000  # 0.05 of a score, in millionths (scoring.SCALE)
    add_per_newcomer: int = 64
    # ... but a round adds at most this share of the working set's size (fewer of each
    # newcomer's best when pricing found more).
    add_share: float = 0.5
    # Each round adds at least one improving pair; a pool that has not settled in this many is
    # an error, not an answer.
    max_rounds: int = 100
    # Below this many entries in all blocks, the pool is worked in the engine's own thread.
    thread_min_entries: int = 20_000_000
    # Below this much flow work (arcs), components are solved in the engine's own process.
    parallel_min_arcs: int = 2_000_000


DEFAULT = Tuning()
