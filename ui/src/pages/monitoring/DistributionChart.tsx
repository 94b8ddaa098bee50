import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { FeatureResult } from "../../api/monitors";
import { overlaidBins } from "./monitoring";

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** The reference and production distributions of one feature on the same bins, as shares of their rows. */
export function DistributionChart({ feature }: { feature: FeatureResult }) {
  if (!feature.histogram) return <p className="muted">No histogram was stored for {feature.feature}.</p>;
  const bins = overlaidBins(feature.histogram);
  return (
    <figure className="chart-card card" data-testid="distribution-chart" aria-label={`Distributions of ${feature.feature}`}>
      <figcaption>
        {feature.feature}: reference ({feature.reference_rows} values) vs production ({feature.production_rows} values)
      </figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={bins} margin={{ top: 5, right: 12, bottom: 5, left: 0 }} barGap="-100%" accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="bin" tick={{ fontSize: 10 }} interval="preserveStartEnd" />
          <YAxis tickFormatter={percent} tick={{ fontSize: 11 }} width={48} />
          <Tooltip formatter={(value) => percent(Number(value))} contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }} />
          <Legend />
          <Bar dataKey="reference" name="reference" fill="#3b82f6" fillOpacity={0.55} isAnimationActive={false} />
          <Bar dataKey="production" name="production" fill="#f97316" fillOpacity={0.55} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
