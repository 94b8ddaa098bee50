import { useState } from "react";
import type { GraphProblem } from "../../api/designer";
import { ParameterField } from "./ParameterField";
import { valueSpec, type PipelineParameterRow } from "./pipelineParameters";

export type ParameterEditing = {
  /** why a name cannot be taken (null: it can) */
  refusal: (name: string) => string | null;
  onAdd: (name: string) => void;
  onRename: (from: string, to: string) => void;
  onDelete: (name: string) => void;
  onDefault: (name: string, value: unknown) => void;
};

type Props = {
  rows: PipelineParameterRow[];
  /** the server's problems about the pipeline parameters (`parameters.<name>`) */
  problems: GraphProblem[];
  moduleTitle: (node: string) => string;
  /** absent on a past run: the list shows read-only */
  editing?: ParameterEditing;
};

/** The draft's pipeline parameters (name, type, default, the module parameters bound to them): add, rename, delete, set defaults. */
export function PipelineParametersPanel({ rows, problems, moduleTitle, editing }: Props) {
  return (
    <section className="pipeline-parameters" aria-label="Pipeline parameters">
      <h2>Pipeline parameters</h2>
      <p className="muted small">Values a run sets. Bind a module parameter to one with "Use as pipeline parameter" in its properties.</p>
      {rows.length === 0 && <p className="muted small">None yet.</p>}
      {rows.map((row) => (
        <ParameterCard key={row.name} row={row} problems={problems.filter((p) => p.where === `parameters.${row.name}`)} moduleTitle={moduleTitle} editing={editing} />
      ))}
      {editing && <NameForm label="New pipeline parameter" action="Add" refusal={editing.refusal} onName={editing.onAdd} />}
    </section>
  );
}

function ParameterCard({ row, problems, moduleTitle, editing }: { row: PipelineParameterRow; problems: GraphProblem[]; moduleTitle: (node: string) => string; editing?: ParameterEditing }) {
  const [renaming, setRenaming] = useState(false);
  return (
    <div className="pipeline-parameter" data-parameter={row.name}>
      <div className="pipeline-parameter-head">
        <strong>{row.name}</strong> <span className="badge">{row.type}</span>
        {editing && !renaming && (
          <span className="pipeline-parameter-actions">
            <button type="button" className="button small ghost" aria-label={`Rename pipeline parameter ${row.name}`} onClick={() => setRenaming(true)}>
              Rename
            </button>
            <button type="button" className="button small ghost" aria-label={`Delete pipeline parameter ${row.name}`} onClick={() => editing.onDelete(row.name)}>
              Delete
            </button>
          </span>
        )}
      </div>
      {editing && renaming && (
        <NameForm
          label={`New name of ${row.name}`}
          action="Save"
          initial={row.name}
          refusal={(to) => (to === row.name ? null : editing.refusal(to))}
          onName={(to) => {
            if (to !== row.name) editing.onRename(row.name, to);
            setRenaming(false);
          }}
          onCancel={() => setRenaming(false)}
        />
      )}
      <fieldset className="plain-fieldset" disabled={!editing}>
        <ParameterField spec={valueSpec(row, "default", "Default")} value={row.default ?? undefined} columns={undefined} onChange={(value) => editing?.onDefault(row.name, value)} />
      </fieldset>
      <p className="muted small">
        {row.uses.length ? `Sets ${row.uses.map((u) => `${moduleTitle(u.node)} › ${u.parameter}`).join(", ")}` : "Sets no module parameter yet"}
      </p>
      {problems.map((p) => (
        <p key={p.rule} className="error-inline">
          {p.message}
        </p>
      ))}
    </div>
  );
}

type NameFormProps = { label: string; action: string; initial?: string; refusal: (name: string) => string | null; onName: (name: string) => void; onCancel?: () => void };

/** A name for a pipeline parameter, refused in place when it cannot be one (not a <form>: it sits inside the parameters form). */
export function NameForm({ label, action, initial = "", refusal, onName, onCancel }: NameFormProps) {
  const [name, setName] = useState(initial);
  const [why, setWhy] = useState<string | null>(null);
  const submit = () => {
    const refused = refusal(name.trim());
    setWhy(refused);
    if (refused === null) {
      onName(name.trim());
      setName(initial);
    }
  };
  return (
    <div className="inline-form" role="group" aria-label={label}>
      <input
        aria-label={label}
        placeholder={label}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== "Enter") return;
          e.preventDefault();
          if (name.trim()) submit();
        }}
        size={16}
      />
      <button type="button" className="button small" disabled={!name.trim()} onClick={submit}>
        {action}
      </button>
      {onCancel && (
        <button type="button" className="button small ghost" onClick={onCancel}>
          Cancel
        </button>
      )}
      {why && (
        <p className="error-inline" role="alert">
          {why}
        </p>
      )}
    </div>
  );
}
