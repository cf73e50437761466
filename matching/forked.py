"""Forked child processes that share the engine's arrays as they are at the fork: the flows of
large groups of components (flow.py), which OR-Tools solves holding the GIL, so that threads
would take turns (bench/README.md); the blocks are worked by threads (candidates.py).

multiprocessing's Process refuses to start from a daemonic process, and a Celery worker's
pool processes are daemonic: a large pool solved in the worker must still spread over the
cores. These children are forked with os.fork and talk to the engine over a pipe; they see
its arrays without copying them (copy-on-write), run no exit handlers of the parent's (they
end with os._exit), and end by themselves when the engine goes away: the pipe's other end
closes and their next read or write fails.
"""

from __future__ import annotations

import contextlib
import os
import signal
import traceback
from collections.abc import Callable, Sequence
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import Any, TypeVar


class ChildFailed(RuntimeError):
    """A child raised (its traceback is the message) or ended before it answered."""


class Child:
    """One forked process running `serve(conn)`; an exception there is sent back as an error."""

    conn: Connection[Any, Any]

    def __init__(self, serve: Callable[[Connection[Any, Any]], None], others: Sequence[Child] = ()) -> None:
        ours, theirs = Pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child
            code = 0
            try:
                ours.close()
                for other in others:  # its siblings' pipes are the engine's, not its own
                    other.conn.close()
                serve(theirs)
            except BaseException:
                code = 1
                with contextlib.suppress(OSError):  # unless the engine has stopped listening
                    theirs.send(("error", traceback.format_exc()))
            finally:
                os._exit(code)
        theirs.close()
        self.conn = ours

    def receive(self) -> tuple[str, Any]:
        """The child's next message (kind, value: whatever the child sent); its failure raised
        as ChildFailed."""
        try:
            kind, value = self.conn.recv()
        except EOFError:
            raise ChildFailed("a child process ended before it answered (out of memory?)") from None
        if kind == "error":
            raise ChildFailed(f"a child process failed:\n{value}")
        return kind, value

    def end(self, *, kill: bool = False) -> None:
        """Close the pipe (the child's cue to stop) and wait for it; `kill` does not wait for it
        to finish what it is doing."""
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self.conn.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


Item = TypeVar("Item")
Answer = TypeVar("Answer")


def map_in_children(fn: Callable[[Item], Answer], items: Sequence[Item]) -> list[Answer]:
    """[fn(item) for item in items], each in a child of its own, at the same time. The items
    reach the children by the fork, not through a pipe; only the answers are sent back."""

    def serve(item: Item) -> Callable[[Connection[Any, Any]], None]:
        return lambda conn: conn.send(("done", fn(item)))

    children: list[Child] = []
    try:
        for item in items:
            children.append(Child(serve(item), children))
        return [child.receive()[1] for child in children]
    finally:
        for child in children:
            child.end()
