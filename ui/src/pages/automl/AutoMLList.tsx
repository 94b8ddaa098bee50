import { Link } from "react-router";
import { automlProperties, useAutoMLRuns } from "../../api/automl";
import { DataTable } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { formatDate, formatValue } from "../../components/format";
import { StatusBadge } from "../../components/StatusBadge";
import { datasetOf, runPath, targetOf } from "./paths";

/** Automated ML runs, newest first: status, dataset, target and best score. */
export default function AutoMLList() {
  const runs = useAutoMLRuns();
  return (
    <section>
      <PageTitle title="Automated ML">
        <Link className="button primary" to="/automl/new">
          New Automated ML run
        </Link>
      </PageTitle>
      <QueryState query={runs} empty="No Automated ML runs yet. Start one from a tabular dataset.">
        {(items) => (
          <DataTable caption="Automated ML runs" columns={["Run", "Experiment", "Status", "Task", "Dataset", "Target", { label: "Best score", className: "num" }, "Created"]}>
            {items.map((run) => {
              const props = automlProperties(run);
              return (
                <tr key={run.name}>
                  <td>
                    <Link to={runPath(run.name)}>{run.display_name || run.name}</Link>
                  </td>
                  <td>{run.experiment_name}</td>
                  <td>
                    <StatusBadge status={run.status} />
                  </td>
                  <td>{props.task}</td>
                  <td>{datasetOf(run)}</td>
                  <td>{targetOf(run)}</td>
                  <td className="num">
                    {props.best_score !== undefined && props.best_score !== null ? `${formatValue(props.best_score)} ${props.primary_metric}` : "—"}
                  </td>
                  <td>{formatDate(run.created_at)}</td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </QueryState>
    </section>
  );
}
