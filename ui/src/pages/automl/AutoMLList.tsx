import { Link } from "react-router";
import { automlProperties, useAutoMLRuns } from "../../api/automl";
import { ErrorMessage, Loading } from "../../components/Status";
import { formatDate, formatValue } from "../../components/format";
import { StatusBadge } from "../../components/StatusBadge";
import { datasetOf, runPath } from "./paths";

/** Automated ML runs, newest first: status, dataset, target and best score. */
export default function AutoMLList() {
  const runs = useAutoMLRuns();
  return (
    <section>
      <div className="page-title">
        <h1>Automated ML</h1>
        <Link className="button primary" to="/automl/new">
          New Automated ML run
        </Link>
      </div>
      <ErrorMessage error={runs.error} />
      {runs.isPending && <Loading />}
      {runs.data && runs.data.length === 0 && <p className="muted">No Automated ML runs yet. Start one from a tabular dataset.</p>}
      {runs.data && runs.data.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <caption className="sr-only">Automated ML runs</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Experiment</th>
                <th scope="col">Status</th>
                <th scope="col">Task</th>
                <th scope="col">Dataset</th>
                <th scope="col">Target</th>
                <th scope="col" className="num">Best score</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((run) => {
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
                    <td>{String((run.spec as { target_column_name?: string }).target_column_name ?? "")}</td>
                    <td className="num">
                      {props.best_score !== undefined && props.best_score !== null ? `${formatValue(props.best_score)} ${props.primary_metric}` : "—"}
                    </td>
                    <td>{formatDate(run.created_at)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
