import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { OverlayPoint } from "./compare";

// Distinct in both themes; a run keeps its colour across every chart of a view.
const COLORS = ["#3b82f6", "#f97316", "#10b981", "#a855f7", "#ef4444", "#eab308", "#06b6d4", "#ec4899"];

/** One metric's history per run (x: step), drawn as lines; a single run draws one line without a legend. */
export function MetricChart({ metric, points, runs }: { metric: string; points: OverlayPoint[]; runs: string[] }) {
  return (
    <figure className="chart-card card" data-metric={metric}>
      <figcaption>{metric}</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points} margin={{ top: 5, right: 12, bottom: 5, left: 0 }} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="step" type="number" domain={["dataMin", "dataMax"]} allowDecimals={false} tick={{ fontSize: 11 }} />
          <YAxis domain={["auto", "auto"]} tick={{ fontSize: 11 }} width={56} />
          <Tooltip contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }} />
          {runs.length > 1 && <Legend />}
          {runs.map((run, i) => (
            <Line
              key={run}
              type="monotone"
              dataKey={run}
              name={run}
              stroke={COLORS[i % COLORS.length]}
              dot={points.length < 30}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
