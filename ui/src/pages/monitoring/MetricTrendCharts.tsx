import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatValue } from "../../components/format";
import { metricLabel, type MetricTrend } from "./monitoring";

const day = (ms: number) => new Date(ms).toISOString().slice(5, 16).replace("T", " ");

/** One small chart per signal and checked metric over the monitor's periods: the worst feature's value (a red
 * dot where it failed) and the threshold as a dashed line; a click picks that period's run. */
export function MetricTrendCharts({ trends, onPick }: { trends: MetricTrend[]; onPick: (job: string) => void }) {
  if (trends.length === 0) return null;
  return (
    <div className="trend-grid" data-testid="metric-trends">
      {trends.map((trend) => (
        <TrendChart key={`${trend.signal}-${trend.metric}`} trend={trend} onPick={onPick} />
      ))}
    </div>
  );
}

function TrendChart({ trend, onPick }: { trend: MetricTrend; onPick: (job: string) => void }) {
  const data = trend.points.map((p) => ({ ...p, label: day(p.time) }));
  const title = `${trend.signal}: ${metricLabel(trend.metric)}`;
  return (
    <figure className="chart-card card trend" aria-label={title} data-metric={trend.metric} data-signal={trend.signal}>
      <figcaption>
        {title} <span className="muted small">(worst feature; dashed: threshold)</span>
      </figcaption>
      <ResponsiveContainer width="100%" height={120}>
        <LineChart data={data} margin={{ top: 5, right: 8, bottom: 0, left: 0 }} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="label" tick={{ fontSize: 10 }} interval="preserveStartEnd" />
          <YAxis tickFormatter={(v) => formatValue(v)} tick={{ fontSize: 10 }} width={44} />
          <Tooltip
            formatter={(value, name, item) => [formatValue(Number(value)), name === "value" ? item.payload.feature : "threshold"]}
            contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }}
          />
          <Line
            dataKey="threshold"
            name="threshold"
            stroke="#6b7280"
            strokeDasharray="5 4"
            dot={false}
            type="stepAfter"
            isAnimationActive={false}
            className="threshold-line"
          />
          <Line
            dataKey="value"
            name="value"
            stroke="#3b82f6"
            isAnimationActive={false}
            dot={(props: { cx?: number; cy?: number; index?: number; payload?: { passed: boolean; job: string } }) => (
              <circle
                key={props.index}
                cx={props.cx}
                cy={props.cy}
                r={4}
                fill={props.payload?.passed ? "var(--ok)" : "#ef4444"}
                className={props.payload?.passed ? "trend-dot passed" : "trend-dot failed"}
                cursor="pointer"
                onClick={() => props.payload && onPick(props.payload.job)}
              />
            )}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
