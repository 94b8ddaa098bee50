import { Link } from "react-router";
import { useMonitors, type Monitor } from "../../api/monitors";
import { DataTable } from "../../components/DataTable";
import { formatDate } from "../../components/format";
import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { describeFailed } from "./monitoring";
import { PeriodStatus } from "./PeriodStatus";
import "./monitoring.css";

const signalsOf = (monitor: Monitor) =>
  Object.entries((monitor.definition.monitoring_signals ?? {}) as Record<string, { type: string }>)
    .map(([name, signal]) => `${name} (${signal.type})`)
    .join(", ");

export default function MonitorList() {
  const monitors = useMonitors();
  return (
    <section>
      <PageTitle title="Monitoring" />
      <QueryState
        query={monitors}
        empty={
          <>
            No monitors yet. Create one with <code>modelyard monitor create -f monitor.yml</code> over an endpoint's collected
            data (<code>azureml:&lt;endpoint&gt;-&lt;deployment&gt;-model_inputs@latest</code>) or a data asset.
          </>
        }
      >
        {(items) => (
          <DataTable caption="Monitors" columns={["Name", "Signals", "Latest status", "Latest window", "Failed features", "Created"]}>
            {items.map((monitor) => (
              <tr key={monitor.name}>
                <td>
                  <Link to={`/monitoring/${encodeURIComponent(monitor.name)}`}>{monitor.name}</Link>
                </td>
                <td>{signalsOf(monitor)}</td>
                <td>{monitor.latest ? <PeriodStatus entry={monitor.latest} /> : <span className="muted">never run</span>}</td>
                <td>{monitor.latest?.window_end ? formatDate(monitor.latest.window_end) : "—"}</td>
                <td>
                  {describeFailed(monitor.latest?.failed_features) || "—"}
                </td>
                <td>{formatDate(monitor.created_at)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
    </section>
  );
}
