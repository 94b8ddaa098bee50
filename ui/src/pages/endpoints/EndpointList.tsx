import { Link } from "react-router";
import { useEndpoints } from "../../api/endpoints";
import { DataTable } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { StateBadge } from "../../components/StatusBadge";
import { describeTraffic } from "./traffic";
import { endpointState, scoringUrl } from "./endpointState";
import "./endpoints.css";

export default function EndpointList() {
  const endpoints = useEndpoints();
  return (
    <section>
      <PageTitle title="Endpoints" />
      <QueryState
        query={endpoints}
        empty={
          <>
            No online endpoints yet. Deploy a registered model with <code>modelyard online-endpoint create</code> and{" "}
            <code>modelyard online-deployment create</code>, or <code>ws.online_endpoints.create_deployment(...)</code>.
          </>
        }
      >
        {(items) => (
          <DataTable caption="Online endpoints" columns={["Name", "Auth", "State", "Deployments", "Traffic", "REST URL"]}>
            {items.map((endpoint) => (
              <tr key={endpoint.name}>
                <td>
                  <Link to={`/endpoints/${encodeURIComponent(endpoint.name)}`}>{endpoint.name}</Link>
                </td>
                <td>{endpoint.auth_mode}</td>
                <td>
                  <StateBadge state={endpointState(endpoint)} />
                </td>
                <td>{(endpoint.deployments ?? []).map((d) => d.name).join(", ") || "—"}</td>
                <td>{describeTraffic(endpoint.traffic)}</td>
                <td className="mono break">{scoringUrl(endpoint)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
    </section>
  );
}
