import { Bar, BarChart, LabelList, Tooltip, XAxis, YAxis } from "recharts";
import type { ColumnProfile } from "../../api/data";
import { formatValue } from "../../components/format";

const WIDTH = 168;
const TOP_VALUES = 5;

/** An inline histogram (numeric and datetime columns) or value-count bars (string and boolean columns). */
export function ColumnChart({ column }: { column: ColumnProfile }) {
  if (column.histogram && column.histogram.length > 0) {
    const bins = column.histogram.map((b) => ({
      range: `${formatValue(b.lower)} – ${formatValue(b.upper)}`,
      count: b.count,
    }));
    return (
      <figure className="inline-chart" role="img" aria-label={`Histogram of ${column.name}: ${bins.length} bins`} data-testid="histogram">
        <BarChart width={WIDTH} height={40} data={bins} margin={{ top: 2, right: 0, bottom: 0, left: 0 }} barCategoryGap={1}>
          <XAxis dataKey="range" hide />
          <Tooltip cursor={false} wrapperStyle={{ zIndex: 10 }} contentStyle={tooltipStyle} />
          <Bar dataKey="count" fill="var(--chart-bar)" isAnimationActive={false} />
        </BarChart>
      </figure>
    );
  }
  if (column.value_counts && column.value_counts.length > 0) {
    const values = column.value_counts.slice(0, TOP_VALUES).map((v) => ({ value: formatValue(v.value), count: v.count }));
    const rest = column.value_counts.length - values.length;
    return (
      <figure
        className="inline-chart"
        role="img"
        aria-label={`Most common values of ${column.name}: ${values.map((v) => `${v.value} ${v.count}`).join(", ")}`}
        data-testid="value-counts"
      >
        <BarChart width={WIDTH} height={values.length * 15 + 2} data={values} layout="vertical" margin={{ top: 1, right: 0, bottom: 1, left: 0 }} barCategoryGap={1}>
          <XAxis type="number" hide />
          <YAxis type="category" dataKey="value" hide />
          <Tooltip cursor={false} wrapperStyle={{ zIndex: 10 }} contentStyle={tooltipStyle} />
          <Bar dataKey="count" fill="var(--chart-bar-alt)" isAnimationActive={false} minPointSize={2}>
            <LabelList dataKey="value" content={BarLabel} />
          </Bar>
        </BarChart>
        {rest > 0 && <figcaption className="muted small">+{rest} more values</figcaption>}
      </figure>
    );
  }
  return <span className="muted small">no chart</span>;
}

/** The value's name over its bar, on one line (cut to fit the cell). */
function BarLabel(props: { x?: number | string; y?: number | string; height?: number | string; value?: unknown }) {
  const x = Number(props.x ?? 0);
  const y = Number(props.y ?? 0);
  const height = Number(props.height ?? 0);
  const text = String(props.value ?? "");
  return (
    <text x={x + 3} y={y + height / 2} dominantBaseline="central" className="bar-label">
      {text.length > 26 ? `${text.slice(0, 25)}…` : text}
    </text>
  );
}

const tooltipStyle = {
  background: "var(--surface)",
  border: "1px solid var(--border)",
  color: "var(--text)",
  fontSize: 12,
  padding: "2px 6px",
};
