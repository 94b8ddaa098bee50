import { useMemo, useState } from "react";
import type { ColumnProfile, DataProfile } from "../../api/data";
import { formatValue } from "../../components/format";
import { ColumnChart } from "./ColumnChart";

const QUANTILES = ["0.1%", "1%", "5%", "25%", "50%", "75%", "95%", "99%", "99.9%"];

type Getter = (c: ColumnProfile) => unknown;
interface StatColumn {
  id: string;
  label: string;
  get: Getter;
  numeric?: boolean;
}

/** The statistics in groups shown one at a time, so the table fits a 1280 px window: all 20 side by side do not. */
export const GROUPS: Record<"summary" | "moments" | "quantiles", { label: string; stats: StatColumn[] }> = {
  summary: {
    label: "Summary",
    stats: [
      { id: "min", label: "Min", get: (c) => c.min, numeric: true },
      { id: "max", label: "Max", get: (c) => c.max, numeric: true },
      { id: "count", label: "Count", get: (c) => c.count, numeric: true },
      { id: "missing", label: "Missing", get: (c) => c.missing, numeric: true },
      { id: "distinct", label: "Distinct", get: (c) => c.distinct, numeric: true },
    ],
  },
  moments: {
    label: "Moments",
    stats: [
      { id: "mean", label: "Mean", get: (c) => c.mean, numeric: true },
      { id: "std", label: "Std dev", get: (c) => c.std, numeric: true },
      { id: "variance", label: "Variance", get: (c) => c.variance, numeric: true },
      { id: "skewness", label: "Skewness", get: (c) => c.skewness, numeric: true },
      { id: "kurtosis", label: "Kurtosis", get: (c) => c.kurtosis, numeric: true },
    ],
  },
  quantiles: {
    label: "Quantiles",
    stats: QUANTILES.map((q) => ({ id: `q${q}`, label: q, get: (c: ColumnProfile) => c.quantiles?.[q], numeric: true })),
  },
};
type Group = keyof typeof GROUPS;

const TYPE: StatColumn = { id: "type", label: "Type", get: (c) => c.type };
const STATS: StatColumn[] = [TYPE, ...Object.values(GROUPS).flatMap((g) => g.stats)];

const COLUMNS: StatColumn[] = [{ id: "name", label: "Column", get: (c) => c.name }, ...STATS];

/** Numbers numerically, everything else as text (numbers before text). */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: "base" });
}

/** Sorted by one statistic; in either direction numbers come before text and missing values come last. */
export function sortColumns(columns: ColumnProfile[], get: Getter, descending: boolean): ColumnProfile[] {
  const missing = (v: unknown) => v === null || v === undefined;
  const groups = [
    columns.filter((c) => typeof get(c) === "number"),
    columns.filter((c) => !missing(get(c)) && typeof get(c) !== "number"),
  ].map((group) => {
    const sorted = [...group].sort((x, y) => compareValues(get(x), get(y)));
    return descending ? sorted.reverse() : sorted;
  });
  return [...groups[0], ...groups[1], ...columns.filter((c) => missing(get(c)))];
}

function typeDistribution(c: ColumnProfile): string {
  return Object.entries(c.type_counts)
    .filter(([, n]) => n > 0)
    .sort((x, y) => y[1] - x[1])
    .map(([type, n]) => `${type} ${n.toLocaleString("en-US")}`)
    .join(" · ");
}

/** The full data profile: one row per column, sortable by any statistic, a chart per column. */
export function ProfileTable({ profile }: { profile: DataProfile }) {
  const [sort, setSort] = useState<{ id: string; descending: boolean } | null>(null);
  const [group, setGroup] = useState<Group>("summary");
  const stats = GROUPS[group].stats;
  const rows = useMemo(() => {
    if (!sort) return profile.columns;
    return sortColumns(profile.columns, COLUMNS.find((c) => c.id === sort.id)!.get, sort.descending);
  }, [profile.columns, sort]);

  const onSort = (id: string) =>
    setSort((s) => (s?.id === id ? { id, descending: !s.descending } : { id, descending: false }));
  const ariaSort = (id: string) => (sort?.id === id ? (sort.descending ? "descending" : "ascending") : "none");

  const header = (column: StatColumn, className?: string) => (
    <th key={column.id} scope="col" aria-sort={ariaSort(column.id)} className={className}>
      <button type="button" className="sort-button" onClick={() => onSort(column.id)}>
        {column.label}
        <span aria-hidden="true" className="sort-mark">
          {sort?.id === column.id ? (sort.descending ? "▼" : "▲") : ""}
        </span>
      </button>
    </th>
  );

  return (
    <>
    <div className="radio-row profile-groups" role="radiogroup" aria-label="Statistics shown">
      {(Object.keys(GROUPS) as Group[]).map((g) => (
        <label key={g} className="radio">
          <input type="radio" name="profile-group" checked={group === g} onChange={() => setGroup(g)} />
          {GROUPS[g].label}
        </label>
      ))}
    </div>
    <div className="table-scroll profile-scroll">
      <table className="table compact profile-table" data-testid="profile-table">
        <caption className="sr-only">Data profile: {GROUPS[group].label.toLowerCase()} statistics for each column; click a header to sort</caption>
        <thead>
          <tr>
            {header(COLUMNS[0], "sticky-col")}
            <th scope="col">Distribution</th>
            {header(TYPE)}
            {group === "summary" && <th scope="col">Type distribution</th>}
            {stats.map((s) => header(s, "num"))}
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.name} data-column={c.name}>
              <th scope="row" className="sticky-col">
                {c.name}
              </th>
              <td className="chart-cell">
                <ColumnChart column={c} />
              </td>
              <td>{c.type}</td>
              {group === "summary" && <td className="small">{typeDistribution(c)}</td>}
              {stats.map((s) => (
                <td key={s.id} className="num" data-stat={s.id}>
                  {formatValue(s.get(c))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    </>
  );
}
