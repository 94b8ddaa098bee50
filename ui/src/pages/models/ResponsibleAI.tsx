import { useState } from "react";
import { Link } from "react-router";
import { useAnalyses, useAnalysisResult, type ErrorAnalysis, type Explanation, type FairnessReport, type ModelAnalysis } from "../../api/analyses";
import type { Model } from "../../api/models";
import { DataTable } from "../../components/DataTable";
import { StatusBadge } from "../../components/StatusBadge";
import { ErrorMessage, Loading } from "../../components/Status";
import { Tabs, useTabParam } from "../../components/Tabs";
import { formatDate } from "../../components/format";
import { ErrorAnalysisView } from "./ErrorAnalysis";
import { ExplanationView } from "./Explanations";
import { FairnessView, MitigatedFrom, Mitigations } from "./Fairness";

const TABS = [
  { id: "explanation", label: "Explanations" },
  { id: "fairness", label: "Fairness" },
  { id: "error_analysis", label: "Error analysis" },
] as const;

type AnalysisKind = (typeof TABS)[number]["id"];

const COMMANDS: Record<AnalysisKind, string> = {
  explanation: "modelyard model explain NAME:VERSION --data DATA",
  fairness: "modelyard model fairness NAME:VERSION --data DATA --sensitive Gender,MaritalStatus",
  error_analysis: "modelyard model error-analysis NAME:VERSION --data DATA",
};

/** The version's explanations, fairness assessments and error analyses: which ran, and the chosen one's result. */
export function ResponsibleAI({ model }: { model: Model }) {
  const [tab, setTab] = useTabParam(TABS);
  const kind = tab as AnalysisKind;
  return (
    <section aria-labelledby="rai-title">
      <h2 id="rai-title">Responsible AI</h2>
      <MitigatedFrom model={model} />
      <Tabs label="Analyses" tabs={TABS} current={tab} onSelect={setTab}>
        <Analyses key={kind} model={model} kind={kind} />
        {kind === "fairness" && <Mitigations model={model} />}
      </Tabs>
    </section>
  );
}

function Analyses({ model, kind }: { model: Model; kind: AnalysisKind }) {
  const analyses = useAnalyses(model, kind);
  const [picked, setPicked] = useState<string>();
  const completed = (analyses.data ?? []).filter((a) => a.status === "Completed");
  const shown = (analyses.data ?? []).find((a) => a.job === (picked ?? completed[0]?.job));
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
      <Runs analyses={analyses.data} shown={shown?.job} onPick={setPicked} />
      {shown && <Result key={shown.job} model={model} kind={kind} analysis={shown} />}
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

function Result({ model, kind, analysis }: { model: Model; kind: AnalysisKind; analysis: ModelAnalysis }) {
  const result = useAnalysisResult<Explanation | FairnessReport | ErrorAnalysis>(model, kind, analysis.job);
  if (result.isPending) return <Loading />;
  if (result.error) return <ErrorMessage error={result.error} />;
  if (kind === "explanation") return <ExplanationView model={model} explanation={result.data as Explanation} />;
  if (kind === "fairness") return <FairnessView model={model} report={result.data as FairnessReport} analysis={analysis} />;
  return <ErrorAnalysisView model={model} analysis={result.data as ErrorAnalysis} run={analysis} />;
}
