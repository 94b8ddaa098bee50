import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useEndpointMetrics, useRequestLog, type OnlineEndpoint } from "../../api/endpoints";
import { Options } from "../../components/Options";
import { ErrorMessage, Loading } from "../../components/Status";
import { CollectedAndMonitors } from "./CollectedAndMonitors";
import { requestSeries } from "./requestSeries";

const BUCKET_SECONDS = 10;
/** The table and the chart legend count the same thing (every /score answer with a 4xx or 5xx status): one label. */
const FAILED_LABEL = "Failed (4xx/5xx)";
const BUCKETS = 30;
const time = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const tooltipStyle = { background: "var(--surface)", border: "1px solid var(--border)", color: "var(--text)" };

/** Counts since the server started (per deployment), and the last five minutes from the request log; polled. */
export default function MonitoringTab({ endpoint }: { endpoint: OnlineEndpoint }) {
  const metrics = useEndpointMetrics(endpoint.name);
  const log = useRequestLog(endpoint.name);
  const [deployment, setDeployment] = useState("");
  const series = requestSeries(log.data ?? [], deployment, (log.dataUpdatedAt || Date.now()) / 1000, BUCKET_SECONDS, BUCKETS);
  const total = series.reduce((sum, p) => sum + p.requests, 0);
  const failed = series.reduce((sum, p) => sum + p.failed, 0);
  const rows = Object.entries(metrics.data ?? {}).map(([key, m]) => ({ deployment: key.slice(endpoint.name.length + 1), ...m }));
  return (
    <div className="monitoring">
      <ErrorMessage error={metrics.error ?? log.error} />
      <h2>Since the server started</h2>
      {metrics.isPending && <Loading />}
      {metrics.data && rows.length === 0 && <p className="muted">No scoring requests yet.</p>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="table compact" data-testid="metrics-table">
            <caption className="sr-only">Requests per deployment since the server started</caption>
            <thead>
              <tr>
                <th scope="col">Deployment</th>
                <th scope="col" className="num">Requests</th>
                <th scope="col" className="num">{FAILED_LABEL}</th>
                <th scope="col" className="num">Latency p50</th>
                <th scope="col" className="num">Latency p99</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.deployment}>
                  <th scope="row">{row.deployment}</th>
                  <td className="num">{row.requests}</td>
                  <td className="num">{row.errors}</td>
                  <td className="num">{row.p50_ms === null ? "—" : `${row.p50_ms.toFixed(1)} ms`}</td>
                  <td className="num">{row.p99_ms === null ? "—" : `${row.p99_ms.toFixed(1)} ms`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div className="toolbar">
        <h2>Last {(BUCKET_SECONDS * BUCKETS) / 60} minutes</h2>
        <label className="inline-field">
          Deployment
          <select value={deployment} onChange={(e) => setDeployment(e.target.value)}>
            <option value="">All</option>
            <Options options={(endpoint.deployments ?? []).map((d) => d.name)} />
          </select>
        </label>
      </div>
      <div className="chart-grid">
        <figure className="chart" role="img" aria-label={`Requests: ${total}, failed: ${failed} in the last ${(BUCKET_SECONDS * BUCKETS) / 60} minutes`} data-testid="requests-chart">
          <figcaption>
            Requests per {BUCKET_SECONDS} s <span className="muted">({total} requests, {failed} failed)</span>
          </figcaption>
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
              <CartesianGrid stroke="var(--border)" vertical={false} />
              <XAxis dataKey="time" tickFormatter={time} stroke="var(--muted)" minTickGap={40} />
              <YAxis allowDecimals={false} stroke="var(--muted)" />
              <Tooltip labelFormatter={(v) => time(Number(v))} contentStyle={tooltipStyle} />
              <Legend />
              <Bar dataKey="requests" name="Requests" fill="var(--chart-bar)" isAnimationActive={false} />
              <Bar dataKey="failed" name={FAILED_LABEL} fill="var(--danger)" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </figure>
        <figure className="chart" role="img" aria-label="Latency p50 and p99 in milliseconds" data-testid="latency-chart">
          <figcaption>Latency (ms)</figcaption>
          <ResponsiveContainer width="100%" height={220}>
            <LineChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
              <CartesianGrid stroke="var(--border)" vertical={false} />
              <XAxis dataKey="time" tickFormatter={time} stroke="var(--muted)" minTickGap={40} />
              <YAxis stroke="var(--muted)" />
              <Tooltip labelFormatter={(v) => time(Number(v))} contentStyle={tooltipStyle} />
              <Legend />
              <Line dataKey="p50" name="p50" stroke="var(--chart-bar)" dot={{ r: 2 }} connectNulls isAnimationActive={false} />
              <Line dataKey="p99" name="p99" stroke="var(--danger)" dot={{ r: 2 }} connectNulls isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </figure>
      </div>
      <CollectedAndMonitors endpoint={endpoint.name} />
    </div>
  );
}
