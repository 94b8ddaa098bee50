"""``interpret.ext``: the explainers (``blackbox``) and the surrogate model names (``glassbox``)."""
