import type { ParameterSpec } from "../../api/designer";
import { Field, hintId } from "../../components/Field";
import { CodeEditor } from "./CodeEditor";
import { ColumnSelector } from "./ColumnSelector";

type Props = { spec: ParameterSpec; value: unknown; columns: Record<string, string> | undefined; onChange: (value: unknown) => void };

function rangeHint(spec: ParameterSpec): string | undefined {
  const { minimum: min, maximum: max } = spec;
  const range = min != null && max != null ? `from ${min} to ${max}` : min != null ? `at least ${min}` : max != null ? `at most ${max}` : "";
  return [range, spec.description].filter(Boolean).join("; ") || undefined;
}

const shown = (value: unknown) => (value === undefined || value === null ? "" : String(value));

/** One module parameter as the form control its kind calls for; `undefined` means "the default". */
export function ParameterField({ spec, value, columns, onChange }: Props) {
  const id = `param-${spec.name}`;
  const current = value === undefined ? spec.default : value;
  const label = spec.display_name + (spec.optional ? " (optional)" : "");
  switch (spec.kind) {
    case "boolean":
      return (
        <div className="field">
          <label className="checkbox">
            <input id={id} type="checkbox" checked={Boolean(current)} onChange={(e) => onChange(e.target.checked)} />
            {label}
          </label>
        </div>
      );
    case "integer":
    case "number":
      return (
        <Field id={id} label={label} hint={rangeHint(spec)}>
          <input
            id={id}
            type="number"
            step={spec.kind === "integer" ? 1 : "any"}
            min={spec.minimum ?? undefined}
            max={spec.maximum ?? undefined}
            value={shown(current)}
            onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
          />
        </Field>
      );
    case "enum":
      return (
        <Field id={id} label={label} hint={spec.description}>
          <select id={id} value={shown(current)} onChange={(e) => onChange(e.target.value)}>
            {current === undefined && <option value="">(choose)</option>}
            {(spec.choices ?? []).map((choice) => (
              <option key={choice}>{choice}</option>
            ))}
          </select>
        </Field>
      );
    case "column":
      return (
        <Field id={id} label={label} hint={columns ? spec.description : "connect the input to pick one of its columns"}>
          {columns ? (
            <select id={id} value={shown(current)} onChange={(e) => onChange(e.target.value || undefined)}>
              <option value="">(choose a column)</option>
              {Object.entries(columns).map(([name, type]) => (
                <option key={name} value={name}>
                  {name} ({type})
                </option>
              ))}
            </select>
          ) : (
            <input id={id} value={shown(current)} onChange={(e) => onChange(e.target.value || undefined)} />
          )}
        </Field>
      );
    case "column_selection":
      return (
        <div className="field" role="group" aria-labelledby={`${id}-label`}>
          <span className="field-label" id={`${id}-label`}>
            {label}
          </span>
          <ColumnSelector id={id} value={current} columns={columns} onChange={onChange} />
        </div>
      );
    case "script":
      return (
        <Field id={id} label={label} hint={spec.description}>
          <CodeEditor id={id} parameter={spec.name} value={shown(current)} onChange={onChange} describedBy={spec.description ? hintId(id) : undefined} />
        </Field>
      );
    default: // string, range
      return (
        <Field id={id} label={label} hint={rangeHint(spec)}>
          <input id={id} value={shown(current)} onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)} />
        </Field>
      );
  }
}
