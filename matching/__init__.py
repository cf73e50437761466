"""The Vänmatch matching engine: pure Python, numpy and scipy; never Django.

Read a ``vanmatch.problem/1`` document, find the feasible pairs under the hard
rules, score them, and solve the whole pool: as many newcomers matched as
possible, then the largest total score. See README.md beside this file.
"""
