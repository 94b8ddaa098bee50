import { Link, useNavigate } from "react-router";
import { useDeleteDeployment, useDeleteEndpoint, type OnlineEndpoint } from "../../api/endpoints";
import { ConfirmButton } from "../../components/ConfirmButton";
import { ACTIONS_COLUMN, DataTable } from "../../components/DataTable";
import { ErrorMessage } from "../../components/Status";
import { formatDate } from "../../components/format";
import { StateBadge } from "../../components/StatusBadge";
import { scoringUrl } from "./endpointState";
import { TrafficEditor } from "./TrafficEditor";

export function DetailsTab({ endpoint }: { endpoint: OnlineEndpoint }) {
  const deleteDeployment = useDeleteDeployment(endpoint.name);
  const deleteEndpoint = useDeleteEndpoint(endpoint.name);
  const navigate = useNavigate();
  const deployments = endpoint.deployments ?? [];
  return (
    <div className="endpoint-details">
      <dl className="details">
        <dt>Description</dt>
        <dd>{endpoint.description || <span className="muted">none</span>}</dd>
        <dt>Authentication</dt>
        <dd>{endpoint.auth_mode}</dd>
        <dt>REST URL</dt>
        <dd className="mono break">{scoringUrl(endpoint)}</dd>
        <dt>Swagger URI</dt>
        <dd className="mono break">{`${window.location.origin}${endpoint.swagger_uri}`}</dd>
        <dt>Created</dt>
        <dd>{formatDate(endpoint.created_at)}</dd>
      </dl>

      <h2>Deployments</h2>
      <ErrorMessage error={deleteDeployment.error} title="The deployment was not deleted" />
      {deployments.length === 0 ? (
        <p className="muted">No deployments.</p>
      ) : (
        <DataTable caption={`Deployments of ${endpoint.name}`} columns={["Name", "Model", "State", { label: "Instances", className: "num" }, "Request settings", "Created", ACTIONS_COLUMN]}>
          {deployments.map((d) => {
            const ready = (d.instances ?? []).filter((i) => i.state === "Ready").length;
            return (
              <tr key={d.name}>
                <th scope="row">{d.name}</th>
                <td>
                  <Link to={`/models/${encodeURIComponent(d.model)}/${d.model_version}`}>
                    {d.model}:{d.model_version}
                  </Link>
                </td>
                <td>
                  <StateBadge state={d.state} />
                  {d.error && <div className="error-inline small">{d.error}</div>}
                </td>
                <td className="num" title={`${ready} of ${d.instance_count} ready`}>
                  {ready} / {d.instance_count} ready
                </td>
                <td className="small">
                  timeout {d.request_settings.request_timeout_ms} ms, {d.request_settings.max_concurrent_requests_per_instance} concurrent
                  per instance, body up to {Math.round((d.request_settings.max_body_bytes ?? 0) / 1024)} KB
                </td>
                <td>{formatDate(d.created_at)}</td>
                <td>
                  <ConfirmButton label={`Delete ${d.name}`} question={`Delete deployment ${d.name}?`} onConfirm={() => deleteDeployment.mutate(d.name)} />
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}

      <h2>Traffic</h2>
      <TrafficEditor key={deployments.map((d) => d.name).join(",")} endpoint={endpoint} />

      <h2>Delete</h2>
      <ErrorMessage error={deleteEndpoint.error} title="The endpoint was not deleted" />
      <p className="muted">Deleting the endpoint stops its deployments; its URL and keys stop working.</p>
      <ConfirmButton
        label="Delete endpoint"
        question={`Delete endpoint ${endpoint.name} and its deployments?`}
        disabled={deleteEndpoint.isPending}
        onConfirm={() => deleteEndpoint.mutate(undefined, { onSuccess: () => navigate("/endpoints") })}
      />
    </div>
  );
}
