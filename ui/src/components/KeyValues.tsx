import { DataTable } from "./DataTable";

/** A two-column table of names and values (parameters, properties, tags); objects shown as JSON. */
export function KeyValues({ values, caption, empty }: { values: Record<string, unknown>; caption: string; empty: string }) {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="muted">{empty}</p>;
  return (
    <DataTable caption={caption} columns={["Name", "Value"]} className="table compact">
      {entries.map(([key, value]) => (
        <tr key={key}>
          <th scope="row">{key}</th>
          <td className="mono break">{typeof value === "string" ? value : JSON.stringify(value)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
