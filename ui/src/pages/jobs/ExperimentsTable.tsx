import { Link } from "react-router";
import type { Experiment } from "../../api/jobs";
import { DataTable } from "../../components/DataTable";
import { formatDate } from "../../components/format";
import { StatusBadge } from "../../components/StatusBadge";

type Props = { experiments: Experiment[]; current: string; onPick: (name: string) => void };

/** One row per experiment: its job count and last run; picking one filters the runs below. */
export function ExperimentsTable({ experiments, current, onPick }: Props) {
  if (experiments.length === 0) return <p className="muted">No experiments yet: a job's <code>experiment_name</code> starts one.</p>;
  return (
    <DataTable caption="Experiments" columns={["Experiment", { label: "Jobs", className: "num" }, "Last run", "Last status", "Last submitted"]} className="table compact" scrollClassName="experiments-scroll">
      {experiments.map((experiment) => (
        <tr key={experiment.name} data-experiment={experiment.name} className={experiment.name === current ? "current" : undefined}>
          <td>
            <button
              type="button"
              className="link-button"
              aria-pressed={experiment.name === current}
              onClick={() => onPick(experiment.name === current ? "" : experiment.name)}
              title={experiment.name === current ? "Show every experiment's runs" : "Show only this experiment's runs"}
            >
              {experiment.name}
            </button>
          </td>
          <td className="num">{experiment.job_count.toLocaleString("en-US")}</td>
          <td>
            <Link to={`/jobs/${encodeURIComponent(experiment.last_job)}`}>{experiment.last_job}</Link>
          </td>
          <td>
            <StatusBadge status={experiment.last_status} />
          </td>
          <td>{formatDate(experiment.last_created_at)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
