import { useState } from "react";
import { Link } from "react-router";
import {
  useAnalyses,
  useAnalysisResult,
  type AnalysisKind,
  type ErrorAnalysis,
  type ErrorNode,
  type Explanation,
  type FairnessReport,
  type GroupMetrics,
  type ModelAnalysis,
} from "../../api/analyses";
import type { Model } from "../../api/models";
import { DataTable } from "../../components/DataTable";
import { StatusBadge } from "../../components/StatusBadge";
import { ErrorMessage, Loading } from "../../components/Status";
import { Tabs, useTabParam } from "../../components/Tabs";
import { formatDate } from "../../components/format";

const TABS = [
  { id: "explanation", label: "Explanations" },
  { id: "fairness", label: "Fairness" },
  { id: "error_analysis", label: "Error analysis" },
] as const;

const COMMANDS: Record<AnalysisKind, string> = {
  explanation: "modelyard model explain NAME:VERSION --data DATA",
  fairness: "modelyard model fairness NAME:VERSION --data DATA --sensitive Gender,MaritalStatus",
  error_analysis: "modelyard model error-analysis NAME:VERSION --data DATA",
};

const TOP_FEATURES = 15;

/** The version's explanations, fairness assessments and error analyses: which ran, and the chosen one's result. */
export function ResponsibleAI({ model }: { model: Model }) {
  const [tab, setTab] = useTabParam(TABS);
  const kind = tab as AnalysisKind;
  return (
    <section aria-labelledby="rai-title">
      <h2 id="rai-title">Responsible AI</h2>
      <Tabs label="Analyses" tabs={TABS} current={tab} onSelect={setTab}>
        <Analyses key={kind} model={model} kind={kind} />
      </Tabs>
    </section>
  );
}

function Analyses({ model, kind }: { model: Model; kind: AnalysisKind }) {
  const analyses = useAnalyses(model, kind);
  const [picked, setPicked] = useState<string>();
  const completed = (analyses.data ?? []).filter((a) => a.status === "Completed");
  const shown = picked ?? completed[0]?.job;
  if (analyses.isPending) return <Loading />;
  if (analyses.error) return <ErrorMessage error={analyses.error} />;
  if (!analyses.data?.length) {
    const command = COMMANDS[kind].replace("NAME:VERSION", `${model.name}:${model.version}`);
    return (
      <p className="muted">
        None yet. Run one with <code>{command}</code>.
      </p>
    );
  }
  return (
    <>
      <Runs analyses={analyses.data} shown={shown} onPick={setPicked} />
      {shown && <Result model={model} kind={kind} job={shown} />}
    </>
  );
}

function Runs({ analyses, shown, onPick }: { analyses: ModelAnalysis[]; shown?: string; onPick: (job: string) => void }) {
  return (
    <DataTable caption="Analyses of this version, newest first" columns={["Job", "Status", "Data", "Created", ""]} className="table compact">
      {analyses.map((a) => (
        <tr key={a.job} aria-current={a.job === shown ? "true" : undefined}>
          <td>
            <Link to={`/jobs/${encodeURIComponent(a.job)}`}>{a.job}</Link>
          </td>
          <td>
            <StatusBadge status={a.status} />
            {a.error && <span className="muted small"> {a.error.split("\n")[0]}</span>}
          </td>
          <td className="mono">{a.data}</td>
          <td>{formatDate(a.created_at)}</td>
          <td>
            {a.status === "Completed" && a.job !== shown && (
              <button type="button" className="button small" onClick={() => onPick(a.job)}>
                Show
              </button>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function Result({ model, kind, job }: { model: Model; kind: AnalysisKind; job: string }) {
  const result = useAnalysisResult<Explanation | FairnessReport | ErrorAnalysis>(model, kind, job);
  if (result.isPending) return <Loading />;
  if (result.error) return <ErrorMessage error={result.error} />;
  if (kind === "explanation") return <ExplanationView explanation={result.data as Explanation} />;
  if (kind === "fairness") return <FairnessView report={result.data as FairnessReport} />;
  return <ErrorAnalysisView analysis={result.data as ErrorAnalysis} />;
}

function ExplanationView({ explanation }: { explanation: Explanation }) {
  const [raw, setRaw] = useState(explanation.raw != null);
  const view = raw && explanation.raw ? explanation.raw : explanation.engineered;
  const [output, setOutput] = useState(0);
  const contributions = view.outputs[Math.min(output, view.outputs.length - 1)];
  const ranked = view.features
    .map((feature, i) => ({ feature, importance: contributions.global_importance[i] }))
    .sort((a, b) => b.importance - a.importance)
    .slice(0, TOP_FEATURES);
  const largest = ranked[0]?.importance || 1;
  return (
    <div className="analysis" data-testid="explanation">
      <p className="muted">
        {explanation.method} method on {explanation.estimator}; global importance over{" "}
        {explanation.rows_evaluated.toLocaleString("en-US")} of {explanation.rows_total.toLocaleString("en-US")} rows,{" "}
        {explanation.local_rows.length.toLocaleString("en-US")} local explanations{explanation.sampled ? " (a sample)" : ""}; contributions in{" "}
        {explanation.model_output.replace("_", " ")}.
      </p>
      <div className="toolbar">
        {explanation.raw && (
          <label>
            <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} /> raw features (engineered summed back)
          </label>
        )}
        {view.outputs.length > 1 && (
          <label>
            Class{" "}
            <select value={output} onChange={(e) => setOutput(Number(e.target.value))}>
              {view.outputs.map((o, i) => (
                <option key={o.output} value={i}>
                  {o.output}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <h3>Global importance (mean |contribution|, top {ranked.length})</h3>
      <ol className="importance" aria-label="Global feature importance">
        {ranked.map(({ feature, importance }) => (
          <li key={feature} data-feature={feature}>
            <span className="importance-name" title={feature}>
              {feature}
            </span>
            <span className="importance-bar" style={{ width: `${(100 * importance) / largest}%` }} />
            <span className="num">{importance.toPrecision(3)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

const GROUP_METRICS: [keyof GroupMetrics, string][] = [
  ["selection_rate", "Selection rate"],
  ["accuracy", "Accuracy"],
  ["precision", "Precision"],
  ["recall", "Recall"],
  ["false_positive_rate", "FPR"],
  ["false_negative_rate", "FNR"],
  ["auc", "AUC"],
];

const rate = (value: unknown) => (typeof value === "number" ? value.toFixed(3) : "—");

function FairnessView({ report }: { report: FairnessReport }) {
  return (
    <div className="analysis" data-testid="fairness">
      <p className="muted">
        {report.rows.toLocaleString("en-US")} rows; a positive decision is P({String(report.positive_label)}) ≥ {report.threshold}.
      </p>
      {report.features.map((feature) => (
        <section key={feature.feature} aria-label={`Fairness by ${feature.feature}`}>
          <h3>
            {feature.feature}
            {feature.bins && <span className="muted small"> bins {feature.bins.join(", ")}</span>}
          </h3>
          <dl className="details">
            <dt>Demographic parity difference</dt>
            <dd>{rate(feature.disparities.demographic_parity_difference)}</dd>
            <dt>Demographic parity ratio</dt>
            <dd>{rate(feature.disparities.demographic_parity_ratio)}</dd>
            <dt>Equalized odds difference</dt>
            <dd>{rate(feature.disparities.equalized_odds_difference)}</dd>
          </dl>
          <DataTable caption={`Metrics per ${feature.feature} group`} columns={["Group", { label: "Rows", className: "num" }, ...GROUP_METRICS.map(([, label]) => ({ label, className: "num" }))]} className="table compact">
            {[...feature.groups, { ...feature.overall, group: "overall" }].map((g) => (
              <tr key={g.group} className={g.group === "overall" ? "total" : undefined}>
                <td>{g.group}</td>
                <td className="num">{g.count.toLocaleString("en-US")}</td>
                {GROUP_METRICS.map(([key]) => (
                  <td key={key} className="num">
                    {rate(g[key])}
                  </td>
                ))}
              </tr>
            ))}
          </DataTable>
        </section>
      ))}
    </div>
  );
}

/** Each leaf of the error tree as a cohort: the conditions from the root, worst error rate first. */
export function cohorts(nodes: ErrorNode[]): { path: string[]; node: ErrorNode }[] {
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

function ErrorAnalysisView({ analysis }: { analysis: ErrorAnalysis }) {
  return (
    <div className="analysis" data-testid="error-analysis">
      <p>
        {analysis.errors.toLocaleString("en-US")} errors in {analysis.rows.toLocaleString("en-US")} rows (error rate{" "}
        {(100 * analysis.error_rate).toFixed(1)}%). Cohorts of the error tree, worst first:
      </p>
      <DataTable caption="Error cohorts" columns={["Cohort", { label: "Rows", className: "num" }, { label: "Errors", className: "num" }, { label: "Error rate", className: "num" }, { label: "Share of errors", className: "num" }]} className="table compact">
        {cohorts(analysis.nodes).map(({ path, node }) => (
          <tr key={node.id}>
            <td className="cohort">
              {path.length ? path.map((condition) => <span key={condition} className="condition mono">{condition}</span>) : "all rows"}
            </td>
            <td className="num">{node.rows.toLocaleString("en-US")}</td>
            <td className="num">{node.errors.toLocaleString("en-US")}</td>
            <td className="num">{(100 * node.error_rate).toFixed(1)}%</td>
            <td className="num">{(100 * node.error_coverage).toFixed(1)}%</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
