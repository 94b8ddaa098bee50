import type { FormEvent } from "react";
import { useAutoMLOptions } from "../../../api/automl";
import { DataTable } from "../../../components/DataTable";
import { Field, SelectField, hintId } from "../../../components/Field";
import { Options } from "../../../components/Options";
import { ErrorMessage } from "../../../components/Status";
import type { StepProps } from "../NewAutoMLRun";
import { StepActions } from "../../../components/StepActions";
import { describeHours, problems, type AutoMLWizardState, type ValidationKind } from "./jobDocument";
import { useDatasetColumns } from "./RunStep";

const VALIDATIONS: { value: ValidationKind; label: string }[] = [
  { value: "auto", label: "Auto" },
  { value: "cv", label: "k-fold cross-validation" },
  { value: "split", label: "Train-validation split" },
];

type Props = StepProps & { onSubmit: () => void; submitting: boolean; error: unknown };

const toggle = (list: string[], item: string, on: boolean) => (on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item));

/** (4) Metric, limits, algorithms, validation and featurization; then the job is submitted. */
export function ConfigStep({ state, update, onBack, onSubmit, submitting, error }: Props) {
  const options = useAutoMLOptions();
  const task = options.data?.tasks[state.task];
  const columns = useDatasetColumns(state.dataset).columns.filter((c) => c.name !== state.targetColumn);
  const todo = problems(state, options.data?.min_timeout_minutes);
  const set = (change: Partial<AutoMLWizardState>) => update((s) => ({ ...s, ...change }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (todo.length === 0 && !submitting) onSubmit();
  };

  return (
    <form onSubmit={submit} className="form" aria-label="Additional configuration">
      <fieldset>
        <legend>Additional configuration</legend>
        <div className="form-grid">
          <SelectField id="automl-metric" label="Primary metric" value={state.primaryMetric} options={task?.primary_metrics} onChange={(primaryMetric) => set({ primaryMetric })} />
          <Field
            id="automl-hours"
            label="Training job time (hours)"
            hint={
              <>
                <span data-testid="training-minutes">{describeHours(state.trainingHours) || "—"}</span>. The whole run's budget from submission: starting the run and
                preparing the data come out of it, then trials stop when it is spent.
              </>
            }
          >
            <input
              id="automl-hours"
              type="number"
              min={0}
              step="any"
              aria-describedby={hintId("automl-hours")}
              value={Number.isNaN(state.trainingHours) ? "" : state.trainingHours}
              onChange={(e) => set({ trainingHours: e.target.valueAsNumber })}
            />
          </Field>
          <Field id="automl-max-trials" label="Max trials" hint="Empty: no limit; the run ends when its time is spent.">
            <input
              id="automl-max-trials"
              type="number"
              min={1}
              step={1}
              aria-describedby={hintId("automl-max-trials")}
              value={Number.isNaN(state.maxTrials) ? "" : state.maxTrials}
              onChange={(e) => set({ maxTrials: e.target.valueAsNumber })}
            />
          </Field>
          <Field id="automl-concurrency" label="Max concurrent iterations">
            <input
              id="automl-concurrency"
              type="number"
              min={1}
              max={64}
              value={Number.isNaN(state.maxConcurrentTrials) ? "" : state.maxConcurrentTrials}
              onChange={(e) => set({ maxConcurrentTrials: e.target.valueAsNumber })}
            />
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Blocked algorithms</legend>
        <div className="checkbox-grid">
          {task?.algorithms.map((algorithm) => (
            <label key={algorithm} className="checkbox">
              <input
                type="checkbox"
                checked={state.blockedAlgorithms.includes(algorithm)}
                onChange={(e) => set({ blockedAlgorithms: toggle(state.blockedAlgorithms, algorithm, e.target.checked) })}
              />
              {algorithm}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset>
        <legend>Validation</legend>
        <div className="radio-row" role="radiogroup" aria-label="Validation type">
          {VALIDATIONS.map((v) => (
            <label key={v.value} className="radio">
              <input type="radio" name="validation" checked={state.validation === v.value} onChange={() => set({ validation: v.value })} />
              {v.label}
            </label>
          ))}
        </div>
        {state.validation === "cv" && (
          <Field id="automl-folds" label="Cross-validation folds" className="inline-field">
            <input id="automl-folds" type="number" min={2} max={20} value={Number.isNaN(state.folds) ? "" : state.folds} onChange={(e) => set({ folds: e.target.valueAsNumber })} />
          </Field>
        )}
        {state.validation === "split" && (
          <Field id="automl-validation-size" label="Validation size (share of rows)" className="inline-field">
            <input
              id="automl-validation-size"
              type="number"
              min={0.01}
              max={0.99}
              step="any"
              value={Number.isNaN(state.validationSize) ? "" : state.validationSize}
              onChange={(e) => set({ validationSize: e.target.valueAsNumber })}
            />
          </Field>
        )}
      </fieldset>

      <fieldset>
        <legend>Featurization</legend>
        <div className="radio-row" role="radiogroup" aria-label="Featurization">
          {(["auto", "off"] as const).map((mode) => (
            <label key={mode} className="radio">
              <input type="radio" name="featurization" checked={state.featurization === mode} onChange={() => set({ featurization: mode })} />
              {mode === "auto" ? "Auto (impute, encode, scale)" : "Off (numeric columns as they are)"}
            </label>
          ))}
        </div>
        <DataTable
          caption="Columns: drop or set their purpose"
          columns={["Column", "Type", "Drop", ...(state.featurization === "auto" ? ["Purpose"] : [])]}
          className="table compact"
          scrollClassName="featurization-columns"
        >
          {columns.map((c) => {
            const dropped = state.dropColumns.includes(c.name);
            return (
              <tr key={c.name} className={dropped ? "excluded" : undefined}>
                <td>{c.name}</td>
                <td>{c.type}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Drop ${c.name}`}
                    checked={dropped}
                    onChange={(e) => set({ dropColumns: toggle(state.dropColumns, c.name, e.target.checked) })}
                  />
                </td>
                {state.featurization === "auto" && (
                  <td>
                    <select
                      aria-label={`Purpose of ${c.name}`}
                      disabled={dropped}
                      value={state.columnPurposes[c.name] ?? ""}
                      onChange={(e) => set({ columnPurposes: { ...state.columnPurposes, [c.name]: e.target.value } })}
                    >
                      <option value="">Auto-detect</option>
                      <Options options={options.data?.column_purposes} />
                    </select>
                  </td>
                )}
              </tr>
            );
          })}
        </DataTable>
      </fieldset>

      {todo.length > 0 && (
        <ul className="hint" aria-label="Still to do">
          {todo.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <ErrorMessage error={error} title="The run was not submitted" />
      <StepActions onBack={onBack} ready={todo.length === 0 && !submitting} label={submitting ? "Submitting…" : "Finish"} />
    </form>
  );
}
