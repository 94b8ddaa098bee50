import { Link, useSearchParams } from "react-router";
import { useJobsByName, useMetricHistories, type Job } from "../../api/jobs";
import { ErrorMessage, Loading } from "../../components/Status";
import { compareRows, overlay, type CompareRow } from "./compare";
import { MetricChart } from "./MetricChart";
import { formatDuration, jobDuration } from "./time";
import "./jobs.css";

/** /jobs/compare?names=a,b,... — parameters and final metrics side by side, metric histories overlaid. */
export default function ComparePage() {
  const [params] = useSearchParams();
  const names = [...new Set((params.get("names") ?? "").split(",").map((n) => n.trim()).filter(Boolean))];
  const jobs = useJobsByName(names);
  const histories = useMetricHistories(names);
  const error = [...jobs, ...histories].find((q) => q.error)?.error;
  const loaded = jobs.every((q) => q.data) && histories.every((q) => q.data);

  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/jobs">Jobs</Link> / compare
      </nav>
      <h1>Compare {names.length} runs</h1>
      {names.length < 2 && (
        <div className="error" role="alert">
          <strong>Pick at least two runs</strong>
          <span className="error-detail">Select two or more jobs in the <Link to="/jobs">jobs list</Link> and press Compare.</span>
        </div>
      )}
      <ErrorMessage error={error} />
      {!loaded && !error && names.length >= 2 && <Loading />}
      {loaded && names.length >= 2 && <Comparison jobs={jobs.map((q) => q.data as Job)} histories={histories.map((q) => q.data ?? {})} />}
    </section>
  );
}

function Comparison({ jobs, histories }: { jobs: Job[]; histories: Record<string, { step: number; value: number; timestamp: number }[]>[] }) {
  const summary = compareRows(jobs.map((job) => ({ status: job.status, experiment: job.experiment_name, duration: formatDuration(jobDuration(job)) })));
  const parameters = compareRows(jobs.map((job) => job.parameters ?? {}));
  const metrics = compareRows(jobs.map((job) => job.metrics ?? {}));
  const charts = overlay(jobs.map((job, i) => ({ run: job.name, history: histories[i] })));
  return (
    <>
      <p className="muted small">Values that differ between the runs are highlighted.</p>
      <div className="table-scroll">
        <table className="table compact compare-table" data-testid="compare-table">
          <caption className="sr-only">Runs side by side</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">Name</span>
              </th>
              {jobs.map((job) => (
                <th scope="col" key={job.name}>
                  <Link to={`/jobs/${encodeURIComponent(job.name)}`}>{job.display_name || job.name}</Link>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <Rows rows={summary} />
            <Section title="Parameters" rows={parameters} span={jobs.length + 1} />
            <Section title="Metrics (final)" rows={metrics} span={jobs.length + 1} />
          </tbody>
        </table>
      </div>
      {Object.keys(charts).length > 0 && (
        <>
          <h2>Metrics</h2>
          <div className="charts">
            {Object.entries(charts).map(([metric, points]) => (
              <MetricChart key={metric} metric={metric} points={points} runs={jobs.map((job) => job.name)} />
            ))}
          </div>
        </>
      )}
    </>
  );
}

function Section({ title, rows, span }: { title: string; rows: CompareRow[]; span: number }) {
  return (
    <>
      <tr>
        <th scope="colgroup" colSpan={span} className="compare-section">
          {title}
          {rows.length === 0 && <span className="muted"> — none</span>}
        </th>
      </tr>
      <Rows rows={rows} />
    </>
  );
}

function Rows({ rows }: { rows: CompareRow[] }) {
  return (
    <>
      {rows.map((row) => (
        <tr key={row.key} data-row={row.key} data-differs={row.differs}>
          <th scope="row">{row.key}</th>
          {row.values.map((value, i) => (
            <td key={i} className={row.differs ? "differs" : undefined}>
              {value ?? "—"}
              {row.differs && <span className="sr-only"> (differs)</span>}
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}
