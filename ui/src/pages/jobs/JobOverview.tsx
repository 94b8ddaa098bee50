import { Link } from "react-router";
import type { Job } from "../../api/jobs";
import { formatDate } from "../../components/format";
import { KeyValues } from "../../components/KeyValues";
import { RunFailure } from "../automl/RunFailure";
import { describeInputs } from "./inputs";
import { formatDuration, jobDuration } from "./time";

/** Status and its history, times, compute, lineage, properties and tags. */
export function JobOverview({ job }: { job: Job }) {
  const history = Object.entries(job.status_history ?? {}).sort(([, a], [, b]) => a.localeCompare(b));
  const inputs = describeInputs(("inputs" in job.spec && job.spec.inputs) || {});
  return (
    <div className="job-grid">
      <div>
        <dl className="details">
          <dt>Name</dt>
          <dd className="mono">{job.name}</dd>
          <dt>Type</dt>
          <dd>{job.type}</dd>
          <dt>Experiment</dt>
          <dd>
            <Link to={`/jobs?experiment=${encodeURIComponent(job.experiment_name)}`}>{job.experiment_name}</Link>
          </dd>
          <dt>Status history</dt>
          <dd>
            <ol className="history" aria-label="Status history">
              {history.map(([status, at]) => (
                <li key={status}>
                  <strong>{status}</strong> <span className="muted">{formatDate(at)}</span>
                </li>
              ))}
            </ol>
          </dd>
          <dt>Created</dt>
          <dd>{formatDate(job.created_at)}</dd>
          <dt>Started</dt>
          <dd>{formatDate(job.started_at)}</dd>
          <dt>Ended</dt>
          <dd>{formatDate(job.ended_at)}</dd>
          <dt>Duration</dt>
          <dd>{formatDuration(jobDuration(job))}</dd>
          <dt>Compute</dt>
          <dd>{job.compute ? <Link to="/compute">{job.compute}</Link> : "—"}</dd>
          {job.parent && (
            <>
              <dt>Parent job</dt>
              <dd>
                <Link to={`/jobs/${encodeURIComponent(job.parent)}`}>{job.parent}</Link>
                {job.step && <span className="muted"> · step {job.step}</span>}
              </dd>
            </>
          )}
          {job.reused_from && (
            <>
              <dt>Reused from</dt>
              <dd>
                <Link to={`/jobs/${encodeURIComponent(job.reused_from)}`}>{job.reused_from}</Link>
              </dd>
            </>
          )}
          {(job.attempt ?? 0) > 1 && (
            <>
              <dt>Attempt</dt>
              <dd>{job.attempt}</dd>
            </>
          )}
          {job.description && (
            <>
              <dt>Description</dt>
              <dd>{job.description}</dd>
            </>
          )}
          {job.spec.type === "command" && (
            <>
              <dt>Command</dt>
              <dd className="mono break">{job.spec.command}</dd>
            </>
          )}
        </dl>
        {job.error && <RunFailure error={job.error} title={`The job ${job.status === "Canceled" ? "was canceled" : "failed"}`} />}
      </div>
      <div>
        <h2>Inputs</h2>
        <KeyValues values={inputs} caption="Inputs" empty="No inputs." />
        <h2>Properties</h2>
        <KeyValues values={job.properties ?? {}} caption="Properties" empty="No properties." />
        <h2>Tags</h2>
        <KeyValues values={job.tags ?? {}} caption="Tags" empty="No tags." />
      </div>
    </div>
  );
}
