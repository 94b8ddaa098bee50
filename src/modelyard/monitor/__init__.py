"""Model monitoring engine: data drift, prediction drift and data quality of production data vs a reference.

Pure computation over pandas DataFrames or pyarrow Tables; a signal is a ``modelyard.spec.monitor.MonitorSignal``
and the result a ``SignalResult``, ready to be stored and served as it is. The metrics and their
normalisations are described in ``modelyard.monitor._metrics``.
"""

from modelyard.monitor._compute import compute_drift

__all__ = ["compute_drift"]
