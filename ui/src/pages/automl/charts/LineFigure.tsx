import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatValue } from "../../../components/format";
import type { Point } from "./chartData";

export type Series = { name: string; points: Point[]; color: string; dashed?: boolean };

const tooltipStyle = { background: "var(--surface)", border: "1px solid var(--border)", color: "var(--text)", fontSize: 12 };

/** A titled line chart of numeric x/y series (curves, calibration, gains), described for screen readers. */
export function LineFigure({ title, series, x, y, description }: { title: string; series: Series[]; x: string; y: string; description: string }) {
  return (
    <figure className="chart-figure" role="img" aria-label={`${title}: ${description}`}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={280}>
        {/* axis titles sit outside the ticks (position "bottom"/"left" with room in the margins); the legend is measured, so a wrapped one pushes the plot down instead of covering it */}
        <LineChart margin={{ top: 4, right: 12, bottom: 24, left: 16 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis type="number" dataKey="x" domain={["dataMin", "dataMax"]} tickFormatter={formatValue} stroke="var(--muted)" label={{ value: x, position: "bottom", offset: 4, fill: "var(--muted)", fontSize: 12 }} />
          <YAxis type="number" dataKey="y" tickFormatter={formatValue} stroke="var(--muted)" width={44} label={{ value: y, angle: -90, position: "left", offset: 4, fill: "var(--muted)", fontSize: 12, style: { textAnchor: "middle" } }} />
          <Tooltip contentStyle={tooltipStyle} formatter={(value) => formatValue(value)} labelFormatter={(value) => `${x} ${formatValue(value)}`} />
          <Legend verticalAlign="top" wrapperStyle={{ paddingBottom: 8, fontSize: 12 }} />
          {series.map((s) => (
            <Line key={s.name} name={s.name} data={s.points} dataKey="y" stroke={s.color} strokeDasharray={s.dashed ? "4 4" : undefined} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** The line a model that knows nothing (or a perfectly calibrated one) draws. */
export const diagonal = (from: number, to: number, name = "random"): Series => ({
  name,
  points: [
    { x: from, y: from },
    { x: to, y: to },
  ],
  color: "var(--muted)",
  dashed: true,
});
