import { useState, type FormEvent } from "react";
import { useUpdateEndpoint, type OnlineEndpoint } from "../../api/endpoints";
import { ErrorMessage } from "../../components/Status";
import { checkWeights, nonZero, weightInputs, type WeightInputs } from "./traffic";

/**
 * Live traffic (adds up to 100) and mirrored traffic (copies of requests) per deployment; saved with one PATCH.
 * Keyed by the deployments' names where it is used: a deployment added or removed starts it afresh.
 */
export function TrafficEditor({ endpoint }: { endpoint: OnlineEndpoint }) {
  const names = (endpoint.deployments ?? []).map((d) => d.name);
  const [traffic, setTraffic] = useState<WeightInputs>(() => weightInputs(names, endpoint.traffic));
  const [mirror, setMirror] = useState<WeightInputs>(() => weightInputs(names, endpoint.mirror_traffic));
  const update = useUpdateEndpoint(endpoint.name);
  const live = checkWeights(traffic, "traffic");
  const mirrored = checkWeights(mirror, "mirror");
  const total = Object.values(traffic).reduce((sum, w) => sum + (Number(w) || 0), 0);
  const problem = live.error ?? (mirrored.error ? `mirror traffic: ${mirrored.error}` : null);

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (live.weights && mirrored.weights) update.mutate({ traffic: nonZero(live.weights), mirror_traffic: nonZero(mirrored.weights) });
  };

  if (names.length === 0) return <p className="muted">Traffic goes to deployments; this endpoint has none yet.</p>;
  return (
    <form className="form traffic-form" onSubmit={save} aria-label="Traffic">
      <div className="table-scroll">
        <table className="table compact traffic-table">
          <caption className="sr-only">Traffic weights per deployment</caption>
          <thead>
            <tr>
              <th scope="col">Deployment</th>
              <th scope="col">Traffic (%)</th>
              <th scope="col">Mirror traffic (%)</th>
            </tr>
          </thead>
          <tbody>
            {names.map((name) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>
                  <PercentInput label={`Traffic to ${name} (%)`} value={traffic[name]} onChange={(v) => setTraffic({ ...traffic, [name]: v })} />
                </td>
                <td>
                  <PercentInput label={`Mirror traffic to ${name} (%)`} value={mirror[name]} onChange={(v) => setMirror({ ...mirror, [name]: v })} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td data-testid="traffic-total" className={total === 100 ? "ok" : undefined}>
                {total}%
              </td>
              <td className="muted small">copies; the answers are dropped</td>
            </tr>
          </tfoot>
        </table>
      </div>
      {problem && (
        <p className="error-inline" role="alert">
          {problem}
        </p>
      )}
      <ErrorMessage error={update.error} title="The traffic was not saved" />
      <div className="toolbar">
        <button type="submit" className="button primary" disabled={problem !== null || update.isPending}>
          Save traffic
        </button>
        {update.isSuccess && !update.isPending && (
          <span role="status" className="ok">
            Saved
          </span>
        )}
      </div>
    </form>
  );
}


function PercentInput({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return <input type="number" min={0} max={100} step={1} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} />;
}
