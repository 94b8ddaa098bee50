import type { FeaturizationRow } from "../../api/automl";
import { DataTable } from "../../components/DataTable";

/** Each raw column: what it was detected as, and the engineered features and transformations made from it. */
export function Featurization({ rows }: { rows: FeaturizationRow[] }) {
  return (
    <section aria-labelledby="featurization-heading">
      <h2 id="featurization-heading">Featurization</h2>
      {rows.length === 0 ? (
        <p className="muted">The featurization summary appears once the data is loaded.</p>
      ) : (
        <DataTable caption="Raw columns and their engineered features" columns={["Raw column", "Detected as", { label: "Missing", className: "num" }, { label: "Distinct", className: "num" }, "Transformations", "Engineered features"]} className="table compact" testId="featurization">
          {rows.map((row) => (
            <tr key={row.raw_feature_name} className={row.dropped ? "excluded" : undefined}>
              <th scope="row" className="col-name">
                {row.raw_feature_name}
              </th>
              <td>
                {row.type_detected}
                {row.dropped && <span className="muted small"> (dropped{row.reason ? `: ${row.reason}` : ""})</span>}
              </td>
              <td className="num">{row.missing_values}</td>
              <td className="num">{row.distinct_values}</td>
              <td>{row.transformations.join(", ") || "—"}</td>
              <td className="engineered" title={row.engineered_features.join(", ")}>
                {row.engineered_feature_count > 0 ? `${row.engineered_feature_count}: ${row.engineered_features.slice(0, 4).join(", ")}${row.engineered_feature_count > 4 ? ", …" : ""}` : "—"}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
