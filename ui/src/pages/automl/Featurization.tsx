import type { FeaturizationRow } from "../../api/automl";

/** Each raw column: what it was detected as, and the engineered features and transformations made from it. */
export function Featurization({ rows }: { rows: FeaturizationRow[] }) {
  return (
    <section aria-labelledby="featurization-heading">
      <h2 id="featurization-heading">Featurization</h2>
      {rows.length === 0 ? (
        <p className="muted">The featurization summary appears once the data is loaded.</p>
      ) : (
        <div className="table-scroll">
          <table className="table compact" data-testid="featurization">
            <caption className="sr-only">Raw columns and their engineered features</caption>
            <thead>
              <tr>
                <th scope="col">Raw column</th>
                <th scope="col">Detected as</th>
                <th scope="col" className="num">Missing</th>
                <th scope="col" className="num">Distinct</th>
                <th scope="col">Transformations</th>
                <th scope="col">Engineered features</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
