import { useDataAssets } from "../../api/data";
import type { DraftValidation, PortSpec } from "../../api/designer";
import type { Job } from "../../api/jobs";
import { StatusBadge } from "../../components/StatusBadge";
import { shownStatus } from "../../api/jobs";
import { useCanvasInfo } from "./context";
import { isDataset, onNodeMessage, shownParameters, type ModuleNode } from "./graph";
import { ParameterField } from "./ParameterField";

type Props = {
  node: ModuleNode | undefined;
  validation: DraftValidation | undefined;
  step: Job | undefined;
  onParameters: (id: string, parameters: Record<string, unknown>) => void;
  onDelete: (id: string) => void;
  onVisualize: (job: string, port: PortSpec) => void;
  onStepDetails: (tab: "logs" | "metrics") => void;
};

/** The selected node: its module's description, the parameter form, its problems, and its outputs after a run. */
export function PropertiesPanel({ node, validation, step, onParameters, onDelete, onVisualize, onStepDetails }: Props) {
  const { modules, problems } = useCanvasInfo();
  if (!node) return <aside className="properties muted" aria-label="Properties">Select a module to set its parameters.</aside>;
  const spec = modules.get(node.data.module);
  const values = node.data.parameters;
  const set = (name: string, value: unknown) => {
    const next = { ...values };
    if (value === undefined) delete next[name];
    else next[name] = value;
    onParameters(node.id, next);
  };
  const mine = problems.get(node.id) ?? [];
  return (
    <aside className="properties" aria-label="Properties">
      <h2>{spec?.display_name ?? node.data.module}</h2>
      <p className="muted small">{spec?.description}</p>
      {mine.length > 0 && (
        <ul className="error node-problem-list" role="alert">
          {mine.map((p) => (
            <li key={p.where + p.rule}>{onNodeMessage(p.message)}</li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => e.preventDefault()} aria-label="Parameters">
        {isDataset(node) ? (
          <DatasetField value={String(values.asset ?? "")} onChange={(asset) => set("asset", asset)} />
        ) : (
          spec &&
          shownParameters(spec, values).map((p) => (
            <ParameterField
              key={p.name}
              spec={p}
              value={values[p.name]}
              columns={p.columns_of ? validation?.input_columns?.[node.id]?.[p.columns_of] : undefined}
              onChange={(value) => set(p.name, value)}
            />
          ))
        )}
      </form>
      {step && (
        <section aria-label="Run">
          <h3>
            Last run <StatusBadge status={shownStatus(step)} />
          </h3>
          {step.error && <pre className="error small">{step.error}</pre>}
          <p>
            <button type="button" className="button small" onClick={() => onStepDetails("logs")}>
              Logs
            </button>{" "}
            <button type="button" className="button small" onClick={() => onStepDetails("metrics")}>
              Metrics
            </button>
          </p>
          {step.status === "Completed" &&
            spec?.outputs.map((port) => (
              <button key={port.name} type="button" className="button small" onClick={() => onVisualize(step.name, port)}>
                Visualize {port.display_name}
              </button>
            ))}
        </section>
      )}
      <p>
        <button type="button" className="button danger small" onClick={() => onDelete(node.id)}>
          Delete module
        </button>
      </p>
    </aside>
  );
}

function DatasetField({ value, onChange }: { value: string; onChange: (asset: string) => void }) {
  const assets = useDataAssets();
  const options = (assets.data ?? []).map((a) => `${a.name}:${a.version}`);
  return (
    <div className="field">
      <label htmlFor="param-asset">Data asset</label>
      <select id="param-asset" value={value} onChange={(e) => onChange(e.target.value)}>
        {!options.includes(value) && <option value={value}>{value || "(choose)"}</option>}
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </div>
  );
}
