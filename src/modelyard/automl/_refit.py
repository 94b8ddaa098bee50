"""Refitting any trial's configuration on all training rows after its run ("Deploy this model" for any trial).

The data are prepared exactly as the run prepared them (same featurizer, same folds), so the model
is the one the run would have built for the trial. An ensemble is refit from its members'
configurations: a voting ensemble keeps its weights; a stack ensemble's meta-learner is fitted
again on its members' out-of-fold predictions, which are cross-validated again for that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from modelyard.automl import _ensemble, _estimators
from modelyard.automl._engine import setup_of
from modelyard.automl._executor import local_cpus
from modelyard.automl._model import ENSEMBLES, final_pipeline
from modelyard.automl._prepare import prepare
from modelyard.automl._work import TrialData, arrays_of, cross_validate, fit_all_rows
from modelyard.errors import InvalidInput
from modelyard.spec.job_status import TrialStatus


@dataclass
class TrialConfig:
    """What a trial tried: an algorithm and its hyperparameters, or an ensemble of member configurations."""

    algorithm: str
    params: dict[str, Any] = field(default_factory=dict)
    members: list["TrialConfig"] = field(default_factory=list)
    weight: float = 1.0


def _check(config: TrialConfig, task: str) -> None:
    known = _estimators.algorithms_for(task, None, [])
    if config.algorithm in ENSEMBLES:
        if len(config.members) < 2:
            raise InvalidInput(f"the {config.algorithm} lists {len(config.members)} member(s); an ensemble needs "
                               "at least two to be refit")
        for member in config.members:
            if member.algorithm not in known:
                raise InvalidInput(f"member algorithm {member.algorithm!r} of the {config.algorithm} cannot be refit "
                                   f"for {task}; known: {', '.join(known)}")
    elif config.algorithm not in known:
        raise InvalidInput(f"algorithm {config.algorithm!r} cannot be refit for {task}; known: "
                           f"{', '.join([*known, *ENSEMBLES])}")


def refit_trial(job, train, validation, config: TrialConfig):
    """``Pipeline(featurize, model)`` of ``config`` fitted on all of ``job``'s training rows (see the module)."""
    from threadpoolctl import threadpool_limits

    _check(config, job.task)
    data = prepare(job, train, validation)
    work = TrialData(arrays_of(data), setup_of(data, local_cpus()))
    singles = config.members or [config]
    with threadpool_limits(limits=local_cpus()):
        estimators = [fit_all_rows(work, m.algorithm, m.params) for m in singles]
        meta = _stack_meta(work, data, singles) if config.algorithm == "StackEnsemble" else None
    return final_pipeline(data.featurizer, data.task, data.classes, config.algorithm, estimators,
                          weights=[m.weight for m in singles], meta=meta)


def _stack_meta(work: TrialData, data, members: list[TrialConfig]):
    preds = []
    for member in members:
        result = cross_validate(work, {"algorithm": member.algorithm, "params": member.params})
        if result["status"] != TrialStatus.COMPLETED:
            raise InvalidInput(f"the stack ensemble's member {member.algorithm} could not be cross-validated again: "
                               f"{result.get('error')}")
        preds.append(result["oof"].astype(float))
    rows = data.oof_rows
    meta, _ = _ensemble.stacking(preds, data.y[rows], None if data.w is None else data.w[rows], data.groups,
                                 data.task, len(data.classes or []) or 1)
    if meta is None:
        raise InvalidInput("the stack ensemble's meta-learner cannot be fitted again: a validation group holds a "
                           "single class")
    return meta
