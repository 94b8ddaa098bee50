import { useState, type ReactNode } from "react";
import { useDataAssets } from "../../api/data";
import type { DraftValidation, ParameterSpec, PortSpec } from "../../api/designer";
import type { Job } from "../../api/jobs";
import { StatusBadge } from "../../components/StatusBadge";
import { shownStatus } from "../../api/jobs";
import { useCanvasInfo } from "./context";
import { isDataset, onNodeMessage, shownParameters, type ModuleNode } from "./graph";
import { ParameterField } from "./ParameterField";
import { NameForm } from "./PipelineParametersPanel";
import { boundName, type PipelineParameters } from "./pipelineParameters";

/** Azure's "Use as pipeline parameter" on a module parameter: bind it to a (new or existing) pipeline parameter, or unbind it. */
export type Binding = {
  parameters: PipelineParameters;
  /** why a module parameter cannot be bound to `name` (null: it can; an existing name binds one more) */
  refusal: (name: string) => string | null;
  onBind: (id: string, key: string, name: string, current: unknown) => void;
  onUnbind: (id: string, key: string) => void;
};

type Props = {
  node: ModuleNode | undefined;
  validation: DraftValidation | undefined;
  step: Job | undefined;
  /** Absent on a past run's graph: the parameters show disabled and the module cannot be deleted. */
  onParameters?: (id: string, parameters: Record<string, unknown>) => void;
  onDelete?: (id: string) => void;
  onVisualize: (job: string, port: PortSpec) => void;
  onStepDetails: (tab: "logs" | "metrics") => void;
  binding?: Binding;
  /** what the panel shows while no node is selected */
  children?: ReactNode;
};

/** The selected node: its module's description, the parameter form, its problems, and its outputs after a run. */
export function PropertiesPanel({ node, validation, step, onParameters, onDelete, onVisualize, onStepDetails, binding, children }: Props) {
  const { modules, problems } = useCanvasInfo();
  if (!node)
    return (
      <aside className="properties" aria-label="Properties">
        <p className="muted">Select a module to set its parameters.</p>
        {children}
      </aside>
    );
  const spec = modules.get(node.data.module);
  const values = node.data.parameters;
  const set = (name: string, value: unknown) => {
    const next = { ...values };
    if (value === undefined) delete next[name];
    else next[name] = value;
    onParameters?.(node.id, next);
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
        <fieldset className="plain-fieldset" disabled={!onParameters}>
        {isDataset(node) ? (
          <DatasetField value={String(values.asset ?? "")} onChange={(asset) => set("asset", asset)} />
        ) : (
          spec &&
          shownParameters(spec, values).map((p) =>
            boundName(values[p.name]) !== null ? (
              <BoundParameter key={p.name} spec={p} name={boundName(values[p.name])!} binding={binding} onUnbind={() => binding?.onUnbind(node.id, p.name)} />
            ) : (
              <div key={p.name} data-parameter-field={p.name}>
                <ParameterField
                  spec={p}
                  value={values[p.name]}
                  columns={p.columns_of ? validation?.input_columns?.[node.id]?.[p.columns_of] : undefined}
                  onChange={(value) => set(p.name, value)}
                />
                {binding && onParameters && <UseAsPipelineParameter spec={p} binding={binding} onBind={(name) => binding.onBind(node.id, p.name, name, values[p.name] ?? p.default)} />}
              </div>
            ),
          )
        )}
        </fieldset>
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
      {onDelete && (
        <p>
          <button type="button" className="button danger small" onClick={() => onDelete(node.id)}>
            Delete module
          </button>
        </p>
      )}
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

function BoundParameter({ spec, name, binding, onUnbind }: { spec: ParameterSpec; name: string; binding?: Binding; onUnbind: () => void }) {
  const value = binding?.parameters[name];
  return (
    <div className="field bound-parameter" data-bound={spec.name}>
      <span className="field-label">{spec.display_name}</span>
      <span>
        Pipeline parameter <strong>{name}</strong>
        {value !== undefined && <span className="muted"> (default {JSON.stringify(value)})</span>}
      </span>
      {binding && (
        <button type="button" className="button small ghost" onClick={onUnbind}>
          Remove from pipeline parameters
        </button>
      )}
    </div>
  );
}

function UseAsPipelineParameter({ spec, binding, onBind }: { spec: ParameterSpec; binding: Binding; onBind: (name: string) => void }) {
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <button type="button" className="button small ghost use-as-parameter" title={`Use ${spec.display_name} as a pipeline parameter`} onClick={() => setOpen(true)}>
        Use as pipeline parameter
      </button>
    );
  return (
    <NameForm
      label={`Pipeline parameter for ${spec.name}`} // not the display name, which labels the parameter's own field
      action="Bind"
      initial={spec.name}
      refusal={binding.refusal}
      onName={(name) => {
        onBind(name);
        setOpen(false);
      }}
      onCancel={() => setOpen(false)}
    />
  );
}
