"""python -m matching solve|pairs PROBLEM.json [-o OUT.json] [--timings]

Invalid input: exit status 2 and one line on standard error naming the record and
the field; nothing is written to the output file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from typing import NoReturn

from matching.engine import pairs_document, solve, solve_problem
from matching.format import ProblemError, dumps, load_problem
from matching.whatif import what_if


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, as for bad input
        sys.stderr.write(f"{self.prog}: {message}\n")
        sys.exit(2)


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as fh:
        return fh.read()


def _write(text: str, path: str | None) -> None:
    if path is None or path == "-":
        sys.stdout.write(text)
        return
    # Write beside the target and rename: a reader never sees half a file.
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".vanmatch-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m matching", description="Vänmatch's matching engine.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, text in (
        ("solve", "the best whole-pool assignment (vanmatch.solution/1)"),
        ("pairs", "every feasible pair with its score (vanmatch.pairs/1)"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("problem", help="a vanmatch.problem/1 file, or - for standard input")
        p.add_argument("-o", "--output", help="where to write (default: standard output)")
        if name == "solve":
            p.add_argument("--timings", action="store_true", help="add stats.seconds (output then varies)")
            p.add_argument(
                "--what-if",
                action="store_true",
                help="add what_if: the changes that would match more of those left waiting, each checked "
                "by solving the changed pool (several solves more)",
            )
            p.add_argument(
                "--threads",
                type=int,
                default=None,
                help="threads for building, scoring and pricing blocks (default: the cores available, "
                "at most 4); the output is the same whatever the number",
            )
    args = parser.parse_args(argv)

    start = time.perf_counter()
    try:
        problem = load_problem(_read(args.problem))
    except OSError as exc:
        sys.stderr.write(f"python -m matching: cannot read {args.problem}: {exc.strerror}\n")
        return 2
    except ProblemError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    read_seconds = time.perf_counter() - start
    try:
        if args.command == "solve":
            doc = solve_problem(problem, timings=args.timings, threads=args.threads, read_seconds=read_seconds)
            if args.what_if:
                doc["what_if"] = what_if(problem, doc, solve=lambda changed: solve(changed, threads=args.threads))
        else:
            doc = pairs_document(problem)
    except ProblemError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    start = time.perf_counter()
    try:
        _write(dumps(doc), args.output)
    except OSError as exc:
        sys.stderr.write(f"python -m matching: cannot write {args.output}: {exc.strerror}\n")
        return 1
    if getattr(args, "timings", False):
        # The document is written by now; its own write time can only go to stderr.
        sys.stderr.write(f"write {time.perf_counter() - start:.4f} s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
