import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { submitDraft } from "../../api/designer";
import { shownStatus, type Job } from "../../api/jobs";
import { ComputeOptions } from "./ComputeOptions";
import { ErrorMessage } from "../../components/Status";
import { StatusBadge } from "../../components/StatusBadge";
import "../../components/dialog.css";
import { PipelineParameterFields } from "./PipelineParameterFields";
import { fieldErrorOf, runValues, type PipelineParameterRow } from "./pipelineParameters";

type Props = {
  draftName: string;
  save: () => Promise<number>;
  onSubmitted: (job: string) => void;
  run: Job | undefined;
  /** the draft's pipeline parameters: Submit asks for their values first */
  parameters: PipelineParameterRow[];
};

/** Submit the draft, saved first, as a pipeline job on a compute target, in an experiment (with values for its pipeline
 * parameters, asked for in a dialog); the run's status once submitted. */
export function SubmitBar({ draftName, save, onSubmitted, run, parameters }: Props) {
  const [compute, setCompute] = useState("");
  const [experiment, setExperiment] = useState(draftName);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [asking, setAsking] = useState(false);
  const submit = async (values: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      const version = await save();
      const job = await submitDraft(draftName, { version, compute: compute || null, experiment_name: experiment.trim() || null, parameters: values });
      setAsking(false);
      onSubmitted(job.name);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const start = () => {
    setError(null);
    if (parameters.length) setAsking(true);
    else void submit({});
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
      <button type="button" className="button primary" onClick={start} disabled={busy}>
        {busy ? "Submitting…" : "Submit"}
      </button>
      {asking && <ParametersDialog rows={parameters} busy={busy} error={error} onSubmit={submit} onClose={() => setAsking(false)} />}
      {run && (
        <span className="run-status" data-run={run.name}>
          <Link to={`/jobs/${encodeURIComponent(run.name)}`}>{run.name}</Link> <StatusBadge status={shownStatus(run)} />
        </span>
      )}
      {error !== null && !asking && (
        <div className="submit-error">
          <ErrorMessage error={error} title="Not submitted" />
        </div>
      )}
    </>
  );
}

type DialogProps = { rows: PipelineParameterRow[]; busy: boolean; error: unknown; onSubmit: (values: Record<string, unknown>) => void; onClose: () => void };

/** The run's pipeline parameter values, prefilled with their defaults; a value the server refuses is named under its field. */
function ParametersDialog({ rows, busy, error, onSubmit, onClose }: DialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [entered, setEntered] = useState<Record<string, unknown>>({});
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  const fieldError = fieldErrorOf(error, rows.map((r) => r.name));
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="submit-parameters-heading" onClose={onClose}>
      <form
        noValidate // the server judges the values and names the one it refuses
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit(runValues(rows, entered));
        }}
      >
        <h2 id="submit-parameters-heading">Submit with pipeline parameters</h2>
        <PipelineParameterFields rows={rows} values={entered} onChange={(name, value) => setEntered((e) => ({ ...e, [name]: value }))} idPrefix="run" error={fieldError} />
        {fieldError === null && <ErrorMessage error={error} title="Not submitted" />}
        <div className="actions">
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Submitting…" : "Submit"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
