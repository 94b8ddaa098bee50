import { useState } from "react";
import { useCohortComparison, useCohorts, useCreateCohort, useDeleteCohort, type Cohort, type CohortFilter, type CohortMetrics } from "../../api/cohorts";
import type { Model } from "../../api/models";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage, Loading } from "../../components/Status";
import { formatValue } from "../../components/format";
import { describeFilter, filterOf, OPERATORS, type ModelColumn, type Operator } from "./cohortFilters";

/** What the builder starts from: an error-tree leaf's filters and a name for them; `id` tells each click apart. */
export type CohortDraft = { id: number; name: string; filters: CohortFilter[] };
type Condition = { column: string; operator: Operator; text: string };

const conditionOf = (filter: CohortFilter): Condition => ({
  column: filter.column,
  operator: filter.operator,
  text: Array.isArray(filter.value) ? filter.value.join(", ") : String(filter.value),
});

// The metrics shown side by side (AutoML's names); any others stay out of the table to keep it readable.
const SHOWN_METRICS = ["accuracy", "AUC_weighted", "f1_score_weighted", "r2_score", "normalized_root_mean_squared_error",
  "normalized_mean_absolute_error"];

/** The version's saved cohorts with its metrics on each beside the whole data, and the builder that saves one. */
export function Cohorts({ model, columns, data, target, draft }: { model: Model; columns: ModelColumn[]; data: string; target: string | null; draft: CohortDraft | null }) {
  const cohorts = useCohorts(model);
  const comparison = useCohortComparison(model, data, target, (cohorts.data?.length ?? 0) > 0);
  const remove = useDeleteCohort(model);
  return (
    <section aria-label="Cohorts" className="cohorts">
      <h3>Cohorts</h3>
      <ErrorMessage error={cohorts.error ?? remove.error} />
      {cohorts.data && !cohorts.data.length && <p className="muted">No saved cohorts yet: build one below, or save a leaf of the error tree.</p>}
      {cohorts.data && cohorts.data.length > 0 && (
        <>
          <ErrorMessage error={comparison.error} />
          {comparison.isFetching && !comparison.data && <Loading what={`Scoring the cohorts of ${data}`} />}
          <CohortTable cohorts={cohorts.data} whole={comparison.data?.whole} metrics={comparison.data?.cohorts} onDelete={(name) => remove.mutate(name)} deleting={remove.isPending} />
        </>
      )}
      <CohortBuilder key={draft?.id ?? 0} model={model} columns={columns} draft={draft} />
    </section>
  );
}

function CohortTable({ cohorts, whole, metrics, onDelete, deleting }: { cohorts: Cohort[]; whole?: CohortMetrics; metrics?: CohortMetrics[]; onDelete: (name: string) => void; deleting: boolean }) {
  const names = SHOWN_METRICS.filter((name) => name in (whole?.metrics ?? {}));
  const byName = new Map((metrics ?? []).map((m) => [m.name, m]));
  const cells = (m: CohortMetrics | undefined) => (
    <>
      <td className="num">{m ? m.rows.toLocaleString("en-US") : "…"}</td>
      <td className="num">{m ? `${(100 * m.share).toFixed(1)}%` : "…"}</td>
      {names.map((name) => (
        <td key={name} className="num">
          {m && name in m.metrics ? formatValue(m.metrics[name]) : "—"}
        </td>
      ))}
    </>
  );
  return (
    <DataTable
      caption="Metrics of each cohort beside the whole data"
      columns={["Cohort", "Filters", { label: "Rows", className: "num" }, { label: "Share", className: "num" }, ...names.map((label) => ({ label, className: "num" })), ""]}
      className="table compact"
    >
      {whole && (
        <tr className="total">
          <td>{whole.name}</td>
          <td className="muted">whole data</td>
          {cells(whole)}
          <td />
        </tr>
      )}
      {cohorts.map((cohort) => (
        <tr key={cohort.name} data-cohort={cohort.name}>
          <td className="cohort-name">{cohort.name}</td>
          <td className="cohort">
            {cohort.filters.map((f, i) => (
              <span key={i} className="condition mono">
                {describeFilter(f)}
              </span>
            ))}
            {cohort.filters.length > 1 && <span className="muted small">({cohort.combine === "and" ? "all" : "any"})</span>}
          </td>
          {cells(byName.get(cohort.name))}
          <td>
            <ConfirmButton label="Delete" question={`Delete cohort ${cohort.name}?`} onConfirm={() => onDelete(cohort.name)} disabled={deleting} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function CohortBuilder({ model, columns, draft }: { model: Model; columns: ModelColumn[]; draft: CohortDraft | null }) {
  const blank = (): Condition => ({ column: columns[0]?.name ?? "", operator: "==", text: "" });
  const [name, setName] = useState(draft?.name ?? "");
  const [conditions, setConditions] = useState<Condition[]>(() => (draft ? draft.filters.map(conditionOf) : [blank()]));
  const [combine, setCombine] = useState<"and" | "or">("and");
  const [problem, setProblem] = useState<string | null>(null);
  const create = useCreateCohort(model);
  const change = (i: number, patch: Partial<Condition>) => setConditions((all) => all.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  const save = () => {
    const filters: CohortFilter[] = [];
    for (const c of conditions) {
      const column = columns.find((col) => col.name === c.column) ?? { name: c.column, type: null };
      const filter = filterOf(column, c.operator, c.text);
      if (typeof filter === "string") return setProblem(filter);
      filters.push(filter);
    }
    if (!name.trim()) return setProblem("name the cohort");
    setProblem(null);
    create.mutate({ name: name.trim(), filters, combine }, { onSuccess: () => setName("") });
  };
  return (
    <form
      className="cohort-builder"
      aria-label="New cohort"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h4>{draft ? "New cohort from the error tree" : "New cohort"}</h4>
      <label className="inline-field">
        Name <input name="cohort-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="young-overtime" />
      </label>
      {conditions.map((c, i) => (
        <div key={i} className="cohort-condition" role="group" aria-label={`Condition ${i + 1}`}>
          <select aria-label="Column" value={c.column} onChange={(e) => change(i, { column: e.target.value })}>
            {!columns.some((col) => col.name === c.column) && <option value={c.column}>{c.column}</option>}
            {columns.map((col) => (
              <option key={col.name} value={col.name}>
                {col.name}
                {col.type ? ` (${col.type})` : ""}
              </option>
            ))}
          </select>
          <select aria-label="Operator" value={c.operator} onChange={(e) => change(i, { operator: e.target.value as Operator })}>
            {OPERATORS.map((op) => (
              <option key={op} value={op}>
                {op}
              </option>
            ))}
          </select>
          <input aria-label="Value" value={c.text} onChange={(e) => change(i, { text: e.target.value })} placeholder={c.operator.endsWith("in") ? "a, b, c" : "value"} />
          {conditions.length > 1 && (
            <button type="button" className="button small" onClick={() => setConditions((all) => all.filter((_, j) => j !== i))}>
              Remove
            </button>
          )}
        </div>
      ))}
      <div className="toolbar">
        <button type="button" className="button small" onClick={() => setConditions((all) => [...all, blank()])}>
          Add condition
        </button>
        {conditions.length > 1 && (
          <label>
            Rows matching{" "}
            <select aria-label="Combine" value={combine} onChange={(e) => setCombine(e.target.value as "and" | "or")}>
              <option value="and">all conditions</option>
              <option value="or">any condition</option>
            </select>
          </label>
        )}
        <button type="submit" className="button primary" disabled={create.isPending}>
          Save cohort
        </button>
      </div>
      {problem && (
        <div className="error" role="alert">
          <strong>Invalid cohort</strong>
          <span className="error-detail">{problem}</span>
        </div>
      )}
      <ErrorMessage error={create.error} />
    </form>
  );
}
