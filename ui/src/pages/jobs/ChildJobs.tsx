import { Link } from "react-router";
import { isTerminal, shownStatus, useChildJobs, type Job } from "../../api/jobs";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage, Loading } from "../../components/Status";
import { formatValue } from "../../components/format";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDuration, jobDuration } from "./time";

const MAX_METRIC_COLUMNS = 4;

/** Pipeline steps or AutoML trials: step, status, duration and their metrics. */
export function ChildJobs({ job }: { job: Job }) {
  const children = useChildJobs(job.name, !isTerminal(job.status));
  if (children.isPending) return <Loading what="Loading child jobs" />;
  if (children.error) return <ErrorMessage error={children.error} />;
  if (children.data.length === 0) return <p className="muted">This job has no child jobs (pipelines have steps, AutoML runs have trials).</p>;
  const metrics = [...new Set(children.data.flatMap((child) => Object.keys(child.metrics ?? {})))].sort().slice(0, MAX_METRIC_COLUMNS);
  return (
    <DataTable
      caption="Child jobs"
      columns={["Step", "Name", "Status", "Duration", ...metrics.map((metric) => ({ label: metric, className: "num" }))]}
      className="table compact"
    >
      {children.data.map((child) => (
        <tr key={child.name} data-child={child.name}>
          <td>{child.step ?? "—"}</td>
          <td>
            <Link to={`/jobs/${encodeURIComponent(child.name)}`}>{child.display_name || child.name}</Link>
          </td>
          <td>
            <StatusBadge status={shownStatus(child)} />
          </td>
          <td className="num">{formatDuration(jobDuration(child))}</td>
          {metrics.map((metric) => (
            <td key={metric} className="num">
              {formatValue(child.metrics?.[metric])}
            </td>
          ))}
        </tr>
      ))}
    </DataTable>
  );
}
