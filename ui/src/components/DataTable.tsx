import type { ReactNode } from "react";

/** A column header: its label, or the label and a class (`num` right-aligns numbers). */
export type Column = string | { label: ReactNode; className?: string };

/** The unlabelled last column that holds a row's buttons. */
export const ACTIONS_COLUMN: Column = { label: <span className="sr-only">Actions</span> };

type Props = {
  /** Read by screen readers only. */
  caption?: ReactNode;
  columns: Column[];
  /** The table's classes; `table` alone when not given. */
  className?: string;
  /** Classes added to the scrolling box around the table. */
  scrollClassName?: string;
  testId?: string;
  /** The body's rows. */
  children: ReactNode;
};

/** A table in its horizontal scroll box, with a caption for screen readers and a header row of columns. */
export function DataTable({ caption, columns, className = "table", scrollClassName, testId, children }: Props) {
  return (
    <div className={scrollClassName ? `table-scroll ${scrollClassName}` : "table-scroll"}>
      <table className={className} data-testid={testId}>
        {caption !== undefined && <caption className="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column, i) => {
              const { label, className } = typeof column === "string" ? { label: column, className: undefined } : column;
              return (
                <th scope="col" key={i} className={className}>
                  {label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
