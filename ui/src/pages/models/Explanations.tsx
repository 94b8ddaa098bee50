import { useState } from "react";
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { Explanation } from "../../api/analyses";
import type { Model } from "../../api/models";
import { SelectField } from "../../components/Field";
import { formatValue } from "../../components/format";
import { waterfall } from "./contributions";
import { WhatIf } from "./WhatIf";
import "./models.css"; // the views are shown on trial pages too

const TOP_FEATURES = 15;
type View = Explanation["engineered"];

/** Global importance (raw or engineered), one row's waterfall, a what-if on that row (for a registered `model`,
 * which the what-if re-scores through its deployments), and dependence plots. */
export function ExplanationView({ model, explanation }: { model?: Model; explanation: Explanation }) {
  const [raw, setRaw] = useState(explanation.raw != null);
  const view = raw && explanation.raw ? explanation.raw : explanation.engineered;
  const [output, setOutput] = useState(0);
  const shownOutput = Math.min(output, view.outputs.length - 1);
  const contributions = view.outputs[shownOutput];
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
            <select value={shownOutput} onChange={(e) => setOutput(Number(e.target.value))}>
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
      {explanation.local_rows.length > 0 && <LocalRow model={model} explanation={explanation} view={view} output={shownOutput} />}
      {view.dependence.length > 0 && <DependencePlot view={view} output={contributions.output} />}
    </div>
  );
}

function LocalRow({ model, explanation, view, output }: { model?: Model; explanation: Explanation; view: View; output: number }) {
  const [picked, setPicked] = useState(0);
  const row = Math.min(picked, explanation.local_rows.length - 1);
  const { base_value, contributions } = view.outputs[output];
  return (
    <section aria-label="One row's contributions">
      <h3>One row</h3>
      <SelectField
        id="explained-row"
        label="Row of the data"
        className="inline-field"
        value={row}
        options={explanation.local_rows.map((position, i) => ({ value: String(i), label: `row ${position + 1}` }))}
        onChange={(value) => setPicked(Number(value))}
      />
      <WaterfallChart label={`Contributions to row ${explanation.local_rows[row] + 1}`} base={base_value} features={view.features} contributions={contributions[row]} values={view.data[row]} />
      {model && explanation.raw && view === explanation.raw && (
        <WhatIf key={row} model={model} features={view.features} row={view.data[row]} outputLabel={view.outputs[output].output} />
      )}
    </section>
  );
}

/** Base value, each large contribution as a bar from the running total, then the model's output. */
export function WaterfallChart({ label, base, features, contributions, values }: { label: string; base: number; features: string[]; contributions: number[]; values: unknown[] | null }) {
  const fall = waterfall(base, features, contributions, values);
  const span = fall.high - fall.low || 1;
  const at = (x: number) => (100 * (x - fall.low)) / span;
  return (
    <ol className="waterfall" aria-label={label}>
      <li className="waterfall-total">
        <span>base value</span>
        <span className="waterfall-track" />
        <span className="num">{fall.base.toPrecision(4)}</span>
      </li>
      {fall.steps.map((step) => (
        <li key={step.label} data-feature={step.label}>
          <span className="importance-name" title={step.label}>
            {step.label}
            {step.value !== null && <span className="muted"> = {formatValue(step.value)}</span>}
          </span>
          <span className="waterfall-track">
            <span
              className={step.contribution >= 0 ? "waterfall-bar up" : "waterfall-bar down"}
              style={{ left: `${at(Math.min(step.start, step.end))}%`, width: `${Math.max(0.5, (100 * Math.abs(step.contribution)) / span)}%` }}
            />
          </span>
          <span className="num">
            {step.contribution >= 0 ? "+" : ""}
            {step.contribution.toPrecision(3)}
          </span>
        </li>
      ))}
      <li className="waterfall-total">
        <span>model output</span>
        <span className="waterfall-track" />
        <span className="num" data-testid="waterfall-output">
          {fall.output.toPrecision(4)}
        </span>
      </li>
    </ol>
  );
}

function DependencePlot({ view, output }: { view: View; output: string }) {
  const plots = view.dependence.filter((d) => d.output === output);
  const [feature, setFeature] = useState(plots[0]?.feature ?? "");
  const plot = plots.find((d) => d.feature === feature) ?? plots[0];
  if (!plot) return null;
  const categorical = plot.values.some((v) => typeof v === "string" || typeof v === "boolean");
  const points = plot.values.map((v, i) => ({ x: categorical ? String(v) : v, y: plot.contributions[i] }));
  return (
    <section aria-label="Dependence plot">
      <h3>Dependence</h3>
      <SelectField id="dependence-feature" label="Feature" className="inline-field" value={plot.feature} options={plots.map((d) => d.feature)} onChange={setFeature} />
      <figure className="chart" aria-label={`Contribution of ${plot.feature} against its value`}>
        <ResponsiveContainer width="100%" height={240}>
          <ScatterChart margin={{ top: 5, right: 12, bottom: 20, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="x" type={categorical ? "category" : "number"} allowDuplicatedCategory={false} name={plot.feature} domain={["auto", "auto"]} label={{ value: plot.feature, position: "bottom" }} />
            <YAxis dataKey="y" type="number" name="contribution" />
            <Tooltip cursor={{ strokeDasharray: "3 3" }} />
            <Scatter data={points} fill="var(--accent)" fillOpacity={0.5} />
          </ScatterChart>
        </ResponsiveContainer>
      </figure>
    </section>
  );
}
