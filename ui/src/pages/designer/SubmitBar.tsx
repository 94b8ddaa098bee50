import { useState } from "react";
import { Link } from "react-router";
import { submitDraft } from "../../api/designer";
import { shownStatus, type Job } from "../../api/jobs";
import { ComputeOptions } from "./ComputeOptions";
import { ErrorMessage } from "../../components/Status";
import { StatusBadge } from "../../components/StatusBadge";

type Props = { draftName: string; save: () => Promise<number>; onSubmitted: (job: string) => void; run: Job | undefined };

/** Submit the draft, saved first, as a pipeline job on a compute target, in an experiment; the run's status once submitted. */
export function SubmitBar({ draftName, save, onSubmitted, run }: Props) {
  const [compute, setCompute] = useState("");
  const [experiment, setExperiment] = useState(draftName);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const version = await save();
      const job = await submitDraft(draftName, { version, compute: compute || null, experiment_name: experiment.trim() || null });
      onSubmitted(job.name);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <label className="inline-field">
        Compute
        <select value={compute} onChange={(e) => setCompute(e.target.value)} aria-label="Compute">
            <ComputeOptions />
        </select>
      </label>
      <label className="inline-field">
        Experiment
        <input value={experiment} onChange={(e) => setExperiment(e.target.value)} aria-label="Experiment" size={14} />
      </label>
      <button type="button" className="button primary" onClick={submit} disabled={busy}>
        {busy ? "Submitting…" : "Submit"}
      </button>
      {run && (
        <span className="run-status" data-run={run.name}>
          <Link to={`/jobs/${encodeURIComponent(run.name)}`}>{run.name}</Link> <StatusBadge status={shownStatus(run)} />
        </span>
      )}
      {error !== null && (
        <div className="submit-error">
          <ErrorMessage error={error} title="Not submitted" />
        </div>
      )}
    </>
  );
}
