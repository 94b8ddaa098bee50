// The endpoint's collected data (per deployment and collection) and the monitors that watch it, with links.
import { Link } from "react-router";
import { useCollectedData } from "../../api/data";
import { useMonitors } from "../../api/monitors";
import { DataTable } from "../../components/DataTable";
import { formatDate } from "../../components/format";
import { ErrorMessage, Loading } from "../../components/Status";
import { collectedOf, monitorsWatching } from "./watching";

export function CollectedAndMonitors({ endpoint }: { endpoint: string }) {
  const collected = useCollectedData();
  const monitors = useMonitors();
  const ours = collectedOf(endpoint, collected.data ?? []);
  const watching = monitorsWatching(endpoint, ours, monitors.data ?? []);
  return (
    <section data-testid="collected-data">
      <h2>Collected data and monitors</h2>
      <ErrorMessage error={collected.error ?? monitors.error} />
      {(collected.isPending || monitors.isPending) && <Loading />}
      {collected.data && ours.length === 0 && (
        <p className="muted">
          Nothing collected. Turn collection on with <code>data_collector</code> in a deployment's YAML (
          <code>modelyard online-deployment update NAME -e {endpoint} -f collect.yml</code>).
        </p>
      )}
      {ours.length > 0 && (
        <DataTable
          caption="Data collected by this endpoint's deployments"
          className="table compact"
          columns={["Data (for monitors and jobs)", "Deployment", "Collection", { label: "Rows", className: "num" }, "First", "Last"]}
        >
          {ours.map((c) => (
            <tr key={c.name}>
              <td>
                <code>azureml:{c.name}@latest</code>
              </td>
              <td>{c.deployment_name}</td>
              <td>{c.collection}</td>
              <td className="num">{c.rows}</td>
              <td>{formatDate(c.first_timestamp)}</td>
              <td>{formatDate(c.last_timestamp)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {monitors.data && ours.length > 0 && (
        <p>
          {watching.length === 0 ? (
            <span className="muted">
              No monitor reads this data yet: <code>modelyard monitor create -f monitor.yml</code> (see <Link to="/monitoring">Monitoring</Link>).
            </span>
          ) : (
            <>
              Monitors:{" "}
              {watching.map((m, i) => (
                <span key={m.name}>
                  {i > 0 && ", "}
                  <Link to={`/monitoring/${encodeURIComponent(m.name)}`}>{m.name}</Link>
                </span>
              ))}
            </>
          )}
        </p>
      )}
    </section>
  );
}
