import { useEffect, useRef, useState } from "react";
import { useDeploymentLogs, type OnlineEndpoint } from "../../api/endpoints";
import { Options } from "../../components/Options";
import { ErrorMessage, Loading } from "../../components/Status";
import { primaryDeployment } from "./endpointState";

const LINE_CHOICES = [100, 200, 1000, 5000];

/** The scoring processes' logs of one deployment; refreshed on demand or every 2 s while tailing. */
export function LogsTab({ endpoint }: { endpoint: OnlineEndpoint }) {
  const [deployment, setDeployment] = useState(() => primaryDeployment(endpoint));
  const [lines, setLines] = useState(200);
  const [live, setLive] = useState(false);
  const logs = useDeploymentLogs(endpoint.name, deployment, lines, live);
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight; // the newest lines in view
  }, [logs.data]);

  if (!endpoint.deployments?.length) return <p className="muted">This endpoint has no deployments, so no logs.</p>;
  return (
    <div>
      <div className="toolbar">
        <label className="inline-field">
          Deployment
          <select value={deployment} onChange={(e) => setDeployment(e.target.value)}>
            <Options options={endpoint.deployments.map((d) => d.name)} />
          </select>
        </label>
        <label className="inline-field">
          Lines
          <select value={lines} onChange={(e) => setLines(Number(e.target.value))}>
            <Options options={LINE_CHOICES} />
          </select>
        </label>
        <button type="button" className="button small" onClick={() => logs.refetch()} disabled={logs.isFetching}>
          Refresh
        </button>
        <label className="checkbox">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} />
          Live tail
        </label>
      </div>
      <ErrorMessage error={logs.error} />
      {logs.isPending && <Loading what="Loading the logs" />}
      {logs.data !== undefined && (
        <pre ref={pre} className="log-view" tabIndex={0} aria-label={`Logs of ${deployment}`} data-testid="deployment-logs">
          {logs.data || "No log lines yet."}
        </pre>
      )}
    </div>
  );
}
