"""Model monitoring engine: data drift, prediction drift and data quality of production data vs a reference.

Pure computation over pandas DataFrames or pyarrow Tables; a signal is a ``modelyard.spec.monitor.MonitorSignal``
and the result a ``SignalResult``, ready to be stored and served as it is. The metrics and their
normalisations are described in ``modelyard.monitor._metrics``.
"""

from modelyard._lazy import lazy_exports

_EXPORTS = {"compute_drift": "_compute"}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = list(_EXPORTS)
