import type { FormEvent } from "react";
import { useComputes } from "../../../api/compute";
import { useDataAsset } from "../../../api/data";
import { Field } from "../../../components/Field";
import { Options } from "../../../components/Options";
import { ErrorMessage } from "../../../components/Status";
import type { StepProps } from "../NewAutoMLRun";
import { StepActions } from "../../../components/StepActions";

/** The columns a run can use: those the dataset's schema includes. */
export function useDatasetColumns(dataset: { name: string; version: number } | null) {
  const asset = useDataAsset(dataset?.name ?? "", String(dataset?.version ?? ""));
  return { ...asset, columns: (asset.data?.columns ?? []).filter((c) => c.include !== false) };
}

/** (2) Experiment name, target column (from the dataset's schema) and compute target. */
export function RunStep({ state, update, onNext, onBack }: StepProps) {
  const computes = useComputes();
  const asset = useDatasetColumns(state.dataset);
  const ready = Boolean(state.experimentName.trim() && state.targetColumn && state.compute);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) onNext();
  };
  return (
    <form onSubmit={submit} className="form" aria-label="Configure run">
      <fieldset>
        <legend>Configure run</legend>
        <Field id="automl-experiment" label="Experiment name">
          <input
            id="automl-experiment"
            required
            autoComplete="off"
            value={state.experimentName}
            placeholder="automl-attrition"
            onChange={(e) => update((s) => ({ ...s, experimentName: e.target.value }))}
          />
        </Field>
        <Field id="automl-target" label="Target column">
          <select id="automl-target" value={state.targetColumn} onChange={(e) => update((s) => ({ ...s, targetColumn: e.target.value }))}>
            <option value="">Choose the column to predict</option>
            <Options options={asset.columns.map((c) => ({ value: c.name, label: `${c.name} (${c.type})` }))} />
          </select>
          <ErrorMessage error={asset.error} title="Cannot read the dataset's columns" />
        </Field>
        <Field id="automl-compute" label="Compute target">
          <select id="automl-compute" value={state.compute} onChange={(e) => update((s) => ({ ...s, compute: e.target.value }))}>
            <Options options={(computes.data ?? [{ name: state.compute, type: "local" }]).map((c) => ({ value: c.name, label: `${c.name} (${c.type})` }))} />
          </select>
          <ErrorMessage error={computes.error} title="Cannot list compute targets" />
        </Field>
      </fieldset>
      <StepActions onBack={onBack} ready={ready} />
    </form>
  );
}
