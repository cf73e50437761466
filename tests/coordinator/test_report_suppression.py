"""The funder report hides small counts (coordinator/selectors/reports.py, `suppress`): a count of
1 or 2 says "färre än 3", and another is hidden ("dold") whenever the total would give it away."""

import itertools

import pytest

from coordinator.selectors.reports import suppress

SMALL, HIDDEN = "färre än 3", "dold"


def test_a_count_of_one_or_two_says_fewer_than_3_and_zero_says_0():
    cells, total, withheld = suppress([2, 0, 1])
    assert cells == [SMALL, 0, SMALL] and total == 3 and not withheld


def test_a_lone_small_count_takes_the_smallest_other_count_with_it():
    """Ekerö 5, Lillbyn 2, Solvik 9: with the total 16 shown, Lillbyn alone would be 16 - 5 - 9."""
    cells, total, _withheld = suppress([5, 2, 0, 9])
    assert cells == [HIDDEN, SMALL, 0, 9] and total == 16


def test_a_small_count_hidden_beside_a_three_would_be_found_so_a_third_is_hidden():
    """1 and 3 hidden beside 50, total 54: the two add up to 4, and a hidden 3-or-more leaves 1."""
    cells, total, _withheld = suppress([1, 3, 50])
    assert cells == [SMALL, HIDDEN, HIDDEN] and total == 54


def test_two_small_counts_that_make_three_protect_each_other():
    assert suppress([1, 2]) == ([SMALL, SMALL], 3, False)


@pytest.mark.parametrize("counts", [[2, 2], [1, 1], [1, 1, 1, 0]])
def test_a_breakdown_of_small_groups_that_the_total_gives_away_is_withheld(counts):
    """2 and 2 of 4 people (or 1 and 1 of 2): every group is hidden, and still each is known."""
    assert suppress(counts)[2] is True


def test_a_total_of_one_or_two_is_hidden_too():
    assert suppress([0, 2, 0]) == ([0, SMALL, 0], SMALL, False)


def test_no_small_count_of_any_breakdown_of_up_to_five_groups_can_be_worked_out():
    """As an audit does: for every published breakdown, every table that would publish the same
    (shown figures as they are, "färre än 3" as 1 or 2, "dold" as 3 up to the smallest figure
    shown, the total as shown) lets each small count be 1 as well as 2."""
    published = set()
    for size, most in ((1, 9), (2, 9), (3, 8), (4, 6), (5, 5)):
        for counts in itertools.product(range(most + 1), repeat=size):
            cells, total, withheld = suppress(list(counts))
            if not withheld:
                published.add((tuple(cells), total))
    for cells, total in published:
        shown = [c for c in cells if isinstance(c, int) and c > 0]
        ceiling = min(shown, default=total if isinstance(total, int) else 2)  # a hidden count is within the total
        options = [[c] if isinstance(c, int) else [1, 2] if c == SMALL else range(3, ceiling + 1) for c in cells]
        totals = [total] if isinstance(total, int) else [1, 2]
        tables = [t for t in itertools.product(*options) if sum(t) in totals]
        for i, cell in enumerate(cells):
            if cell == SMALL:
                assert {t[i] for t in tables} == {1, 2}, (cells, total)
