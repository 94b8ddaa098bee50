// A confusion matrix as a table: rows are true classes, columns predicted ones; each caller renders its cells.
import type { ReactElement } from "react";

export function ConfusionTable({ labels, cell }: { labels: string[]; cell: (actual: number, predicted: number) => ReactElement }) {
  return (
    <table className="table compact confusion-matrix" data-testid="confusion-matrix">
      <caption className="sr-only">Confusion matrix: rows are true classes, columns predicted classes</caption>
      <thead>
        <tr>
          <th scope="col">true \ predicted</th>
          {labels.map((label) => (
            <th key={label} scope="col" className="num">
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {labels.map((label, i) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            {labels.map((_, j) => cell(i, j))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
