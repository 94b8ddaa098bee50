import { formatCell } from "./format";

export interface PreviewColumn {
  name: string;
  type: string;
  include?: boolean;
}

/** A table of rows under typed column headers (the wizard's preview, Explore). */
export function PreviewTable({
  columns,
  rows,
  caption,
  firstRow = 1,
  whole = false,
}: {
  columns: PreviewColumn[];
  rows: unknown[][];
  caption: string;
  firstRow?: number;
  /** Show every row at its height (Explore's page of 25) instead of a box that scrolls. */
  whole?: boolean;
}) {
  const shown = columns.filter((c) => c.include !== false);
  return (
    <div className={whole ? "table-scroll" : "table-scroll preview-scroll"}>
      <table className="table compact" data-testid="preview-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="num muted">#</th>
            {shown.map((column) => (
              <th scope="col" key={column.name}>
                <span className="col-name">{column.name}</span>
                <span className="type-badge">{column.type}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              <td className="num muted">{firstRow + i}</td>
              {shown.map((column, j) => (
                <td key={column.name} className={typeof row[j] === "number" ? "num" : undefined}>
                  {formatCell(row[j])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
