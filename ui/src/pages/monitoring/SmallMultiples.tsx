import { Bar, BarChart, ResponsiveContainer } from "recharts";
import { overlaidBins, type FeatureRow } from "./monitoring";

/** A grid of tiny reference (blue) vs production (orange) histograms for the most drifted features; a click
 * shows that feature's full distributions. */
export function SmallMultiples({ rows, chosen, onChoose }: { rows: FeatureRow[]; chosen?: string; onChoose: (feature: string) => void }) {
  return (
    <div className="multiples" data-testid="small-multiples" aria-label="Most drifted features: reference vs production">
      {rows.map((row) => (
        <button
          type="button"
          key={row.feature}
          className={`multiple card${row.feature === chosen ? " selected" : ""}${row.passed === false ? " drifted" : ""}`}
          onClick={() => onChoose(row.feature)}
          aria-pressed={row.feature === chosen}
          title={`${row.feature}: reference vs production`}
        >
          <span className="multiple-name">{row.feature}</span>
          <ResponsiveContainer width="100%" height={48}>
            <BarChart data={row.result.histogram ? overlaidBins(row.result.histogram) : []} barGap="-100%" margin={{ top: 2, right: 2, bottom: 0, left: 2 }}>
              <Bar dataKey="reference" fill="#3b82f6" fillOpacity={0.55} isAnimationActive={false} />
              <Bar dataKey="production" fill="#f97316" fillOpacity={0.55} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </button>
      ))}
    </div>
  );
}
