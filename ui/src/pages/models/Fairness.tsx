import { Fragment, useState } from "react";
import { Link } from "react-router";
import {
  parseModelRef,
  useAnalyses,
  useAnalysisResult,
  useMitigate,
  type Disparities,
  type FairnessMitigation,
  type FairnessReport,
  type GroupMetrics,
  type MitigationRequest,
  type ModelAnalysis,
  type ModelVersionRef,
  type SensitiveFeatureReport,
} from "../../api/analyses";
import type { Model } from "../../api/models";
import { DataTable } from "../../components/DataTable";
import { SelectField } from "../../components/Field";
import { StatusBadge } from "../../components/StatusBadge";
import { ErrorMessage, Loading } from "../../components/Status";
import { nearestThreshold } from "./contributions";

const GROUP_METRICS: [keyof GroupMetrics, string][] = [
  ["selection_rate", "Selection rate"],
  ["accuracy", "Accuracy"],
  ["precision", "Precision"],
  ["recall", "Recall"],
  ["false_positive_rate", "FPR"],
  ["false_negative_rate", "FNR"],
  ["auc", "AUC"],
];

const DISPARITIES: [keyof Disparities, string][] = [
  ["demographic_parity_difference", "Demographic parity difference"],
  ["demographic_parity_ratio", "Demographic parity ratio"],
  ["equalized_odds_difference", "Equalized odds difference"],
];

type Constraint = NonNullable<MitigationRequest["constraints"]>;

const CONSTRAINTS: Constraint[] = [
  "demographic_parity",
  "equalized_odds",
  "true_positive_rate_parity",
  "false_positive_rate_parity",
  "false_negative_rate_parity",
  "true_negative_rate_parity",
];

const rate = (value: unknown) => (typeof value === "number" ? value.toFixed(3) : "—");

/** Metrics by group of each sensitive feature at a threshold of the slider, and the form that mitigates one. */
export function FairnessView({ model, report, analysis }: { model: Model; report: FairnessReport; analysis: ModelAnalysis }) {
  return (
    <div className="analysis" data-testid="fairness">
      <p className="muted">
        {report.rows.toLocaleString("en-US")} rows; a positive decision is P({String(report.positive_label)}) ≥ {report.threshold} (the model's threshold).
      </p>
      {report.features.map((feature) => (
        <SensitiveFeature key={feature.feature} feature={feature} threshold={report.threshold} />
      ))}
      <MitigateForm model={model} report={report} analysis={analysis} />
    </div>
  );
}

function SensitiveFeature({ feature, threshold }: { feature: SensitiveFeatureReport; threshold: number }) {
  const points = feature.thresholds;
  const [index, setIndex] = useState(() => (points.length ? nearestThreshold(points, threshold) : 0));
  const point = points[index] ?? { threshold, overall: feature.overall, groups: feature.groups, disparities: feature.disparities };
  const sliderId = `threshold-${feature.feature}`;
  return (
    <section aria-label={`Fairness by ${feature.feature}`}>
      <h3>
        {feature.feature}
        {feature.bins && <span className="muted small"> bins {feature.bins.join(", ")}</span>}
      </h3>
      {points.length > 1 && (
        <div className="threshold-slider">
          <label htmlFor={sliderId}>Decision threshold</label>
          <input id={sliderId} type="range" min={0} max={points.length - 1} step={1} value={index} onChange={(e) => setIndex(Number(e.target.value))} aria-valuetext={point.threshold.toFixed(2)} />
          <output htmlFor={sliderId} className="num">
            {point.threshold.toFixed(2)}
          </output>
        </div>
      )}
      <DisparityList disparities={point.disparities} />
      <DataTable caption={`Metrics per ${feature.feature} group`} columns={["Group", { label: "Rows", className: "num" }, ...GROUP_METRICS.map(([, label]) => ({ label, className: "num" }))]} className="table compact">
        <GroupRows groups={point.groups} overall={point.overall} />
      </DataTable>
    </section>
  );
}

function DisparityList({ disparities }: { disparities: Disparities }) {
  return (
    <dl className="details">
      {DISPARITIES.map(([key, label]) => (
        <Fragment key={key}>
          <dt>{label}</dt>
          <dd>{rate(disparities[key])}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

function GroupRows({ groups, overall }: { groups: GroupMetrics[]; overall: GroupMetrics }) {
  return (
    <>
      {[...groups, { ...overall, group: "overall" }].map((g) => (
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
    </>
  );
}

/** ThresholdOptimizer over this version for one sensitive feature, on the assessment's data; links to the queued job. */
function MitigateForm({ model, report, analysis }: { model: Model; report: FairnessReport; analysis: ModelAnalysis }) {
  const [feature, setFeature] = useState(report.features[0]?.feature ?? "");
  const [constraints, setConstraints] = useState<Constraint>("demographic_parity");
  const mitigate = useMitigate(model);
  const bins = report.features.find((f) => f.feature === feature)?.bins;
  const submit = () =>
    mitigate.mutate({
      data: analysis.data,
      target: analysis.target ?? null,
      sensitive: [feature],
      bins: bins ? { [feature]: bins } : {},
      threshold: report.threshold,
      positive_label: report.positive_label as MitigationRequest["positive_label"],
      constraints,
    });
  return (
    <form
      className="mitigate"
      aria-label="Mitigate"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3>Mitigate with ThresholdOptimizer</h3>
      <p className="muted small">A threshold per group of one sensitive feature, fitted on {analysis.data}; the mitigated model is registered as a new version of {model.name}.</p>
      <div className="toolbar">
        <SelectField id="mitigate-feature" label="Sensitive feature" className="inline-field" value={feature} options={report.features.map((f) => f.feature)} onChange={setFeature} />
        <SelectField id="mitigate-constraint" label="Constraint" className="inline-field" value={constraints} options={CONSTRAINTS} onChange={(value) => setConstraints(value as Constraint)} />
        <button type="submit" className="button primary" disabled={mitigate.isPending || !feature}>
          Mitigate
        </button>
      </div>
      <ErrorMessage error={mitigate.error} />
      {mitigate.data && (
        <p role="status">
          Queued mitigation job <Link to={`/jobs/${encodeURIComponent(mitigate.data.name)}`}>{mitigate.data.name}</Link>.
        </p>
      )}
    </form>
  );
}

/** The version's mitigation jobs, each with its disparities before and after and the version it registered. */
export function Mitigations({ model }: { model: Model }) {
  const mitigations = useAnalyses(model, "mitigation");
  if (mitigations.isPending) return null;
  if (mitigations.error) return <ErrorMessage error={mitigations.error} />;
  if (!mitigations.data.length) return null;
  return (
    <section aria-label="Mitigations" className="analysis">
      <h3>Mitigated versions</h3>
      <DataTable caption="Mitigations of this version, newest first" columns={["Job", "Status", "Mitigated version", "Sensitive feature", "Constraint", "Disparity before → after"]} className="table compact">
        {mitigations.data.map((m) => (
          <MitigationRow key={m.job} model={model} mitigation={m} />
        ))}
      </DataTable>
    </section>
  );
}

function MitigationRow({ model, mitigation }: { model: Model; mitigation: ModelAnalysis }) {
  const completed = mitigation.status === "Completed";
  const result = useAnalysisResult<FairnessMitigation>(model, "mitigation", completed ? mitigation.job : undefined);
  const r = result.data;
  return (
    <tr>
      <td>
        <Link to={`/jobs/${encodeURIComponent(mitigation.job)}`}>{mitigation.job}</Link>
      </td>
      <td>
        <StatusBadge status={mitigation.status} />
        {mitigation.error && <span className="muted small"> {mitigation.error.split("\n")[0]}</span>}
      </td>
      <td>{r?.mitigated_model ? <ModelLink reference={r.mitigated_model} /> : "—"}</td>
      <td>{r?.feature ?? "—"}</td>
      <td>{r?.constraints ?? "—"}</td>
      <td className="num">{r ? <BeforeAfter mitigation={r} /> : completed && result.isPending ? "…" : "—"}</td>
    </tr>
  );
}

function ModelLink({ reference }: { reference: string }) {
  const { name, version } = parseModelRef(reference);
  return <Link to={`/models/${encodeURIComponent(name)}/${version}`}>{reference}</Link>;
}

function BeforeAfter({ mitigation }: { mitigation: FairnessMitigation }) {
  return (
    <>
      {DISPARITIES.map(([key, label]) => (
        <div key={key} className="small">
          {label}: {rate(mitigation.before.disparities[key])} → <strong>{rate(mitigation.after.disparities[key])}</strong>
        </div>
      ))}
    </>
  );
}

/** On a version registered by a mitigation: the version it came from, the job, and the disparities before and after. */
export function MitigatedFrom({ model }: { model: Model }) {
  const properties = (model.properties ?? {}) as Record<string, unknown>;
  const from = typeof properties.mitigated_from === "string" ? properties.mitigated_from : null;
  const job = typeof properties.mitigation_job === "string" ? properties.mitigation_job : undefined;
  const original: ModelVersionRef = from ? parseModelRef(from) : { name: "", version: 0 };
  const result = useAnalysisResult<FairnessMitigation>(original, "mitigation", from ? job : undefined);
  if (!from) return null;
  return (
    <section aria-label="Mitigated from" className="analysis mitigated-from">
      <h3>Mitigated version</h3>
      <p>
        ThresholdOptimizer over <ModelLink reference={from} /> by job {job ? <Link to={`/jobs/${encodeURIComponent(job)}`}>{job}</Link> : "unknown"}
        {result.data && (
          <>
            {" "}
            for {result.data.feature} ({result.data.constraints}, objective {result.data.objective}), on {result.data.rows.toLocaleString("en-US")} rows.
          </>
        )}
      </p>
      {result.isPending && <Loading what="Loading the mitigation" />}
      <ErrorMessage error={result.error} />
      {result.data && (
        <DataTable caption="Disparities before and after mitigation" columns={["", { label: "Before", className: "num" }, { label: "After", className: "num" }]} className="table compact">
          {DISPARITIES.map(([key, label]) => (
            <tr key={key}>
              <td>{label}</td>
              <td className="num">{rate(result.data.before.disparities[key])}</td>
              <td className="num">{rate(result.data.after.disparities[key])}</td>
            </tr>
          ))}
          <tr>
            <td>accuracy</td>
            <td className="num">{rate(result.data.before.overall.accuracy)}</td>
            <td className="num">{rate(result.data.after.overall.accuracy)}</td>
          </tr>
        </DataTable>
      )}
    </section>
  );
}
