import type { FormEvent } from "react";
import { Link } from "react-router";
import { useDataAssets, useDataVersions } from "../../../api/data";
import { DataTable } from "../../../components/DataTable";
import { SelectField } from "../../../components/Field";
import { ErrorMessage, Loading } from "../../../components/Status";
import { formatDate } from "../../../components/format";
import type { StepProps } from "../NewAutoMLRun";
import { StepActions } from "../../../components/StepActions";

/** (1) A tabular (mltable) data asset and its version. */
export function DatasetStep({ state, update, onNext }: StepProps) {
  const assets = useDataAssets();
  const tabular = assets.data?.filter((a) => a.type === "mltable") ?? [];
  const chosen = state.dataset;
  const versions = useDataVersions(chosen?.name ?? "");
  const choose = (name: string, version: number) =>
    update((s) => ({ ...s, dataset: { name, version }, targetColumn: "", dropColumns: [], columnPurposes: {} }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen) onNext();
  };

  return (
    <form onSubmit={submit} className="form" aria-label="Select dataset">
      <fieldset>
        <legend>Dataset</legend>
        <ErrorMessage error={assets.error} />
        {assets.isPending && <Loading what="Loading datasets" />}
        {assets.data && tabular.length === 0 && (
          <p className="muted">
            No tabular datasets yet. <Link to="/data/new">Create one</Link> from a CSV first.
          </p>
        )}
        {tabular.length > 0 && (
          <DataTable caption="Tabular datasets" columns={["Use", "Name", "Latest version", { label: "Rows", className: "num" }, "Created"]}>
            {tabular.map((asset) => (
              <tr key={asset.name}>
                <td>
                  <input
                    type="radio"
                    name="dataset"
                    id={`dataset-${asset.name}`}
                    checked={chosen?.name === asset.name}
                    onChange={() => choose(asset.name, asset.version)}
                  />
                </td>
                <td>
                  <label htmlFor={`dataset-${asset.name}`}>{asset.name}</label>
                </td>
                <td>{asset.version}</td>
                <td className="num">{asset.rows?.toLocaleString("en-US") ?? "—"}</td>
                <td>{formatDate(asset.created_at)}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {chosen && (
          <SelectField
            id="dataset-version"
            label="Version"
            className="inline-field"
            value={chosen.version}
            options={(versions.data ?? [{ version: chosen.version }]).map((v) => v.version)}
            onChange={(version) => choose(chosen.name, Number(version))}
          />
        )}
      </fieldset>
      <StepActions ready={chosen !== null} />
    </form>
  );
}
