"""Memory habits of the engine: glibc's reuse of freed memory, and pausing Python's collector.

Let glibc keep freed memory for reuse instead of returning it to the system at once.

The engine works in blocks of about a million entries: every numpy temporary is a few MB,
above glibc's default mmap threshold, so each is mapped fresh from the kernel and every
page is faulted in again, block after block. Raising the mmap and trim thresholds lets
those allocations reuse the heap (bench/README.md has what it saved). The process keeps
memory up to its peak, which is what it needs anyway.
On other C libraries this does nothing.
"""

import contextlib
import ctypes
import ctypes.util
import functools
import gc
from collections.abc import Iterator

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_THRESHOLD = 512 * 1024 * 1024


@functools.cache
def keep_freed_memory() -> bool:
    """Tune glibc's malloc once per process; True when it took effect."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(_M_MMAP_THRESHOLD, _THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, _THRESHOLD))


@contextlib.contextmanager
def garbage_collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a while, as it was before afterwards.

    Reading a problem makes hundreds of thousands of small objects (the JSON, then a Person
    each), and every 700 new objects the collector walks the young ones, and now and then all
    of them: 40 % of the region's reading time. Nothing here makes reference cycles, so the
    pause frees nothing later that it would have freed sooner."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
