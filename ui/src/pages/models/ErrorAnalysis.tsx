import { useState } from "react";
import type { ErrorAnalysis, ErrorNode, ModelAnalysis } from "../../api/analyses";
import type { Model } from "../../api/models";
import { DataTable } from "../../components/DataTable";
import { cohortNameOf, filtersOfConditions, type ModelColumn } from "./cohortFilters";
import { Cohorts, type CohortDraft } from "./Cohorts";
import { signatureColumns } from "./Signature";

/** Each leaf of the error tree: the conditions from the root, worst error rate first. */
export function leaves(nodes: ErrorNode[]): { path: string[]; node: ErrorNode }[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const pathOf = (node: ErrorNode): string[] => {
    const parent = node.parent == null ? undefined : byId.get(node.parent);
    return parent ? [...pathOf(parent), ...(node.condition ? [node.condition] : [])] : [];
  };
  return nodes
    .filter((n) => n.children.length === 0)
    .map((node) => ({ path: pathOf(node), node }))
    .sort((a, b) => b.node.error_rate - a.node.error_rate || b.node.errors - a.node.errors);
}

/** The columns a cohort may filter on: the model's signature (with types), else the columns the tree split on. */
function modelColumns(model: Model, analysis: ErrorAnalysis): ModelColumn[] {
  const signed = signatureColumns(model.signature?.inputs).filter((c) => c.name);
  return signed.length ? signed.map((c) => ({ name: c.name!, type: c.type ?? null })) : analysis.features.map((name) => ({ name, type: null }));
}

const percent = (share: number) => `${(100 * share).toFixed(1)}%`;

export function ErrorAnalysisView({ model, analysis, run }: { model: Model; analysis: ErrorAnalysis; run: ModelAnalysis }) {
  const [draft, setDraft] = useState<CohortDraft | null>(null);
  const saveAsCohort = (path: string[]) => {
    const filters = filtersOfConditions(path);
    setDraft((last) => ({ id: (last?.id ?? 0) + 1, name: cohortNameOf(filters), filters }));
  };
  return (
    <div className="analysis" data-testid="error-analysis">
      <p>
        {analysis.errors.toLocaleString("en-US")} errors in {analysis.rows.toLocaleString("en-US")} rows (error rate {percent(analysis.error_rate)}).
      </p>
      <h3>Error tree</h3>
      <ErrorTree nodes={analysis.nodes} overall={analysis.error_rate} />
      <h3>Leaves, worst first</h3>
      <DataTable caption="Error cohorts" columns={["Leaf", { label: "Rows", className: "num" }, { label: "Errors", className: "num" }, { label: "Error rate", className: "num" }, { label: "Share of errors", className: "num" }, ""]} className="table compact">
        {leaves(analysis.nodes).map(({ path, node }) => (
          <tr key={node.id} data-leaf={node.id}>
            <td className="cohort">{path.length ? path.map((condition) => <span key={condition} className="condition mono">{condition}</span>) : "all rows"}</td>
            <td className="num">{node.rows.toLocaleString("en-US")}</td>
            <td className="num">{node.errors.toLocaleString("en-US")}</td>
            <td className="num">{percent(node.error_rate)}</td>
            <td className="num">{percent(node.error_coverage)}</td>
            <td>
              {path.length > 0 && (
                <button type="button" className="button small" onClick={() => saveAsCohort(path)}>
                  Save as cohort
                </button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      <Cohorts model={model} columns={modelColumns(model, analysis)} data={run.data} target={run.target ?? null} draft={draft} />
    </div>
  );
}

/** The tree itself, root first: each node's rule, its rows and its error rate (the bar, darker when worse than overall). */
function ErrorTree({ nodes, overall }: { nodes: ErrorNode[]; overall: number }) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const branch = (node: ErrorNode) => (
    <li key={node.id}>
      <div className={node.error_rate > overall ? "error-node worse" : "error-node"}>
        <span className="mono">{node.condition ?? "all rows"}</span>
        <span className="error-node-bar" style={{ width: `${Math.max(1, 100 * node.error_rate)}%` }} />
        <span className="muted small">
          {node.errors}/{node.rows} wrong ({percent(node.error_rate)}), {percent(node.error_coverage)} of errors
        </span>
      </div>
      {node.children.length > 0 && <ul>{node.children.map((id) => byId.get(id)).filter((n): n is ErrorNode => n !== undefined).map(branch)}</ul>}
    </li>
  );
  const root = nodes.find((n) => n.parent == null);
  return root ? (
    <ul className="error-tree" aria-label="Error tree">
      {branch(root)}
    </ul>
  ) : null;
}
