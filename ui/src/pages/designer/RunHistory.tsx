import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { cloneRun, ranDraft } from "../../api/designer";
import { shownStatus, type Job } from "../../api/jobs";
import { formatDate } from "../../components/format";
import { ErrorMessage } from "../../components/Status";
import { StatusBadge } from "../../components/StatusBadge";
import { asName } from "../automl/DeployDialog";

type Props = { runs: Job[]; shown: string | null; onShow: (job: string) => void; onClose: () => void };

/** A draft's submitted runs with their status: show one's step statuses on the canvas, open its own graph read-only, or clone
 * the graph it ran into a new draft. */
export function RunHistory({ runs, shown, onShow, onClose }: Props) {
  const [cloning, setCloning] = useState<string | null>(null);
  return (
    <section className="run-history card" aria-label="Run history">
      <div className="port-view-head">
        <h2>Runs</h2>
        <button type="button" className="button small ghost" onClick={onClose}>
          Close
        </button>
      </div>
      {runs.length === 0 ? (
        <p className="muted">Not submitted yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Run</th>
              <th>Draft version</th>
              <th>Status</th>
              <th>Submitted</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {runs.map((job) => (
              <tr key={job.name} aria-current={job.name === shown ? "true" : undefined} data-run={job.name}>
                <td>
                  <Link to={`/jobs/${encodeURIComponent(job.name)}`}>{job.name}</Link>
                </td>
                <td>{ranDraft(job)?.version ?? "?"}</td>
                <td>
                  <StatusBadge status={shownStatus(job)} />
                </td>
                <td>{formatDate(job.created_at)}</td>
                <td className="run-history-actions">
                  {job.name === shown ? (
                    <span className="muted small">on the canvas</span>
                  ) : (
                    <button type="button" className="button small" onClick={() => onShow(job.name)}>
                      Show on canvas
                    </button>
                  )}
                  <Link className="button small" to={`/designer/${encodeURIComponent(ranDraft(job)?.name ?? "")}/runs/${encodeURIComponent(job.name)}`}>
                    Open run
                  </Link>
                  {cloning === job.name ? (
                    <CloneForm job={job} onCancel={() => setCloning(null)} />
                  ) : (
                    <button type="button" className="button small" onClick={() => setCloning(job.name)}>
                      Clone into a new draft
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A new draft's name, then a copy of the graph `job` ran saved as its version 1, opened. */
export function CloneForm({ job, onCancel }: { job: Job; onCancel: () => void }) {
  const navigate = useNavigate();
  const [name, setName] = useState(asName(`${ranDraft(job)?.name ?? "draft"}-${job.name}`));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const draft = await cloneRun(job, name.trim());
      navigate(`/designer/${encodeURIComponent(draft.name)}`);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <form className="inline-field" onSubmit={submit} aria-label={`Clone ${job.name}`}>
      <input value={name} onChange={(e) => setName(e.target.value)} aria-label="New draft name" required size={24} />
      <button type="submit" className="button small primary" disabled={busy || !name.trim()}>
        Clone
      </button>
      <button type="button" className="button small ghost" onClick={onCancel}>
        Cancel
      </button>
      <ErrorMessage error={error} title="Not cloned" />
    </form>
  );
}
