"""Neutral helpers that know nothing of users or the befriending domain: the shape of an
error answer, reporting a form's errors, handing a job to the worker after commit.

They live in the lowest layer so that every layer above (accounts, coordinator, worker,
config) may use them; they import nothing of ours but each other.
"""
