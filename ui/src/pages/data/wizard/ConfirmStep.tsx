import type { FormEvent } from "react";
import { useNavigate } from "react-router";
import { HEADER_MODES, useCreateDataAsset, useSourcePreview } from "../../../api/data";
import { ErrorMessage } from "../../../components/Status";
import type { StepProps } from "../CreateDataWizard";
import { TYPE_LABELS } from "../DataList";
import { columnOverrides, createRequest, previewRequest, sourceFields } from "./state";

export function ConfirmStep({ state, update, datastores, onBack }: Omit<StepProps, "onNext">) {
  const navigate = useNavigate();
  const create = useCreateDataAsset();
  const tabular = state.type === "mltable";
  const inferred = useSourcePreview(tabular ? previewRequest(state, datastores) : null);
  const overrides = columnOverrides(state, inferred.data?.columns);
  const source = sourceFields(state, datastores);
  const request = createRequest(state, datastores, inferred.data?.columns);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!request) return;
    create.mutate(request, {
      onSuccess: (asset) => navigate(`/data/${encodeURIComponent(asset.name)}/${asset.version}`),
    });
  };

  return (
    <form onSubmit={submit} className="form" aria-label="Confirm">
      <dl className="details">
        <dt>Name</dt>
        <dd>{state.name}</dd>
        <dt>Type</dt>
        <dd>{TYPE_LABELS[state.type] ?? state.type}</dd>
        {state.description && (
          <>
            <dt>Description</dt>
            <dd>{state.description}</dd>
          </>
        )}
        <dt>Source</dt>
        <dd className="mono break">
          {state.source.kind === "upload" ? `${state.source.fileName} (uploaded)` : source?.path ?? `${source?.datastore}: ${source?.query}`}
        </dd>
        {tabular && (
          <>
            <dt>Settings</dt>
            <dd>
              format {state.parse.format || "detected"}, delimiter{" "}
              {state.parse.delimiter ? JSON.stringify(state.parse.delimiter) : "detected"}, encoding {state.parse.encoding},{" "}
              {HEADER_MODES.find((m) => m.value === state.parse.header)?.label.toLowerCase()}, skip {state.parse.skipRows} rows
            </dd>
            <dt>Schema</dt>
            <dd>
              {inferred.data ? `${inferred.data.columns.length} columns` : "…"}
              {overrides.length > 0 &&
                `; changed: ${overrides
                  .map((o) => (o.include === false ? `${o.name} excluded` : `${o.name} → ${o.type}`))
                  .join(", ")}`}
            </dd>
          </>
        )}
      </dl>

      {tabular && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={state.profile}
            onChange={(e) => update((s) => ({ ...s, profile: e.target.checked }))}
          />
          Profile the dataset (statistics and histograms for every column)
        </label>
      )}

      <ErrorMessage error={create.error} title="Could not create the dataset" />

      <div className="actions">
        <button type="button" className="button" onClick={onBack} disabled={create.isPending}>
          Back
        </button>
        <button type="submit" className="button primary" disabled={!request || create.isPending}>
          {create.isPending ? "Creating…" : "Create"}
        </button>
      </div>
    </form>
  );
}
