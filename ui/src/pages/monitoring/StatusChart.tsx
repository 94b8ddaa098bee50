import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { StatusPoint } from "./monitoring";

const FILL: Record<string, string> = { passed: "var(--ok)", failed: "#ef4444", no_production_data: "#9ca3af" };
const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

/** Pass/fail over time: a bar per period, as high as its failed features, coloured by its outcome; a click picks
 * that period's run. */
export function StatusChart({ points, onPick }: { points: StatusPoint[]; onPick: (job: string) => void }) {
  const data = points.map((p) => ({ ...p, label: day(p.time), height: Math.max(p.failed, 0.15) }));
  return (
    <figure className="chart-card card" aria-label={`Status over time: ${points.length} periods`} data-testid="status-chart">
      <figcaption>Status over time (bar height: failed features; green passed, red drift, grey no production data)</figcaption>
      <ResponsiveContainer width="100%" height={180}>
        <BarChart data={data} margin={{ top: 5, right: 12, bottom: 5, left: 0 }} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={32} />
          <Tooltip
            formatter={(_value, _name, item) => [`${item.payload.failed} failed (${item.payload.status})`, item.payload.job]}
            contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }}
          />
          <Bar dataKey="height" isAnimationActive={false} onClick={(entry) => onPick((entry as unknown as StatusPoint).job)}>
            {data.map((p, i) => (
              <Cell key={i} fill={FILL[p.status] ?? "#9ca3af"} cursor="pointer" />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
