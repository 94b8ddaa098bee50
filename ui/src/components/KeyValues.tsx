import { DataTable } from "./DataTable";
import { formatValue } from "./format";

/** A two-column table of names and values (parameters, properties, tags); numbers to 4 significant digits (the full value on hover), objects as JSON. */
export function KeyValues({ values, caption, empty }: { values: Record<string, unknown>; caption: string; empty: string }) {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="muted">{empty}</p>;
  return (
    <DataTable caption={caption} columns={["Name", "Value"]} className="table compact">
      {entries.map(([key, value]) => (
        <tr key={key}>
          <th scope="row">{key}</th>
          <td className="mono break" title={typeof value === "number" ? String(value) : undefined}>
            {typeof value === "string" ? value : typeof value === "number" ? formatValue(value) : JSON.stringify(value)}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
