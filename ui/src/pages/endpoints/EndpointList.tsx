import { Link } from "react-router";
import { useEndpoints } from "../../api/endpoints";
import { ErrorMessage, Loading } from "../../components/Status";
import { StateBadge } from "../../components/StatusBadge";
import { describeTraffic } from "./traffic";
import { endpointState, scoringUrl } from "./endpointState";
import "./endpoints.css";

export default function EndpointList() {
  const endpoints = useEndpoints();
  return (
    <section>
      <div className="page-title">
        <h1>Endpoints</h1>
      </div>
      <ErrorMessage error={endpoints.error} />
      {endpoints.isPending && <Loading />}
      {endpoints.data && endpoints.data.length === 0 && (
        <p className="muted">
          No online endpoints yet. Deploy a registered model with <code>modelyard online-endpoint create</code> and{" "}
          <code>modelyard online-deployment create</code>, or <code>ws.online_endpoints.create_deployment(...)</code>.
        </p>
      )}
      {endpoints.data && endpoints.data.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <caption className="sr-only">Online endpoints</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Auth</th>
                <th scope="col">State</th>
                <th scope="col">Deployments</th>
                <th scope="col">Traffic</th>
                <th scope="col">REST URL</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.data.map((endpoint) => (
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
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
