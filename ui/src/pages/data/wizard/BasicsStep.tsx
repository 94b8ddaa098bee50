import type { FormEvent } from "react";
import { useUploadFile } from "../../../api/data";
import { Field, SelectField } from "../../../components/Field";
import { Options } from "../../../components/Options";
import { ErrorMessage } from "../../../components/Status";
import { StepActions } from "../../../components/StepActions";
import type { StepProps } from "../CreateDataWizard";
import { nameFromFile, sourceFields, type SourceKind, type WizardState } from "./state";

const TYPES = [
  { value: "mltable", label: "Tabular", hint: "rows and columns: CSV, TSV, Parquet or JSON lines; gets a profile" },
  { value: "uri_file", label: "File", hint: "one file, used as it is" },
  { value: "uri_folder", label: "Folder", hint: "a folder of files, used as it is" },
] as const;

const SOURCES: { value: SourceKind; label: string }[] = [
  { value: "upload", label: "From local files" },
  { value: "datastore", label: "From a datastore" },
  { value: "path", label: "From a path on the server or a web URL" },
];

export function BasicsStep({ state, update, datastores, onNext }: Omit<StepProps, "onBack">) {
  const upload = useUploadFile();
  const ready = Boolean(state.name.trim()) && sourceFields(state, datastores) !== null && !upload.isPending;
  const selectedStore = datastores?.find((d) => d.name === state.source.datastore);
  const setSource = (change: Partial<WizardState["source"]>) =>
    update((s) => ({ ...s, source: { ...s.source, ...change }, overrides: {} }));

  const onFile = (file: File | undefined) => {
    if (!file) return;
    setSource({ uploadedPath: "", fileName: file.name });
    upload.mutate(file, {
      onSuccess: ({ path }) => {
        update((s) => ({
          ...s,
          name: s.name || nameFromFile(file.name),
          source: { ...s.source, uploadedPath: path, fileName: file.name },
          overrides: {},
        }));
      },
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) onNext();
  };

  return (
    <form onSubmit={submit} className="form" aria-label="Basic info and source">
      <fieldset>
        <legend>Basic info</legend>
        <Field id="data-name" label="Name" hint="Letters, digits, '-', '_' and '.'; a new version is added if the name exists.">
          <input
            id="data-name"
            required
            value={state.name}
            onChange={(e) => update((s) => ({ ...s, name: e.target.value }))}
            placeholder="employeeattrition"
            autoComplete="off"
          />
        </Field>
        <Field id="data-description" label="Description">
          <textarea
            id="data-description"
            rows={2}
            value={state.description}
            onChange={(e) => update((s) => ({ ...s, description: e.target.value }))}
          />
        </Field>
        <SelectField
          id="data-type"
          label="Type"
          hint={TYPES.find((t) => t.value === state.type)?.hint}
          value={state.type}
          options={TYPES}
          onChange={(type) => update((s) => ({ ...s, type: type as WizardState["type"] }))}
        />
      </fieldset>

      <fieldset>
        <legend>Source</legend>
        <div className="radio-row" role="radiogroup" aria-label="Source">
          {SOURCES.map((source) => (
            <label key={source.value} className="radio">
              <input
                type="radio"
                name="source-kind"
                value={source.value}
                checked={state.source.kind === source.value}
                onChange={() => setSource({ kind: source.value })}
              />
              {source.label}
            </label>
          ))}
        </div>

        {state.source.kind === "upload" && (
          <Field id="data-file" label="File to upload">
            <input id="data-file" type="file" onChange={(e) => onFile(e.target.files?.[0])} />
            {upload.isPending && <p className="muted" role="status">Uploading {state.source.fileName}…</p>}
            {state.source.uploadedPath && !upload.isPending && (
              <p className="ok" role="status" data-testid="upload-done">
                Uploaded {state.source.fileName}
              </p>
            )}
            <ErrorMessage error={upload.error} title="Upload failed" />
          </Field>
        )}

        {state.source.kind === "datastore" && (
          <>
            <Field id="data-datastore" label="Datastore">
              <select
                id="data-datastore"
                value={state.source.datastore}
                onChange={(e) => setSource({ datastore: e.target.value })}
              >
                <option value="">Choose a datastore</option>
                <Options options={datastores?.map((d) => ({ value: d.name, label: `${d.name} (${d.type})` }))} />
              </select>
            </Field>
            {selectedStore?.type === "sql" ? (
              <Field id="data-query" label="SQL query" hint="One SELECT or WITH statement; its result is stored as Parquet.">
                <textarea
                  id="data-query"
                  rows={3}
                  className="mono"
                  value={state.source.query}
                  onChange={(e) => setSource({ query: e.target.value })}
                  placeholder="SELECT * FROM staff"
                />
              </Field>
            ) : (
              <Field id="data-datastore-path" label="Path in the datastore">
                <input
                  id="data-datastore-path"
                  className="mono"
                  value={state.source.datastorePath}
                  onChange={(e) => setSource({ datastorePath: e.target.value })}
                  placeholder="folder/file.csv or folder/*.csv"
                />
              </Field>
            )}
          </>
        )}

        {state.source.kind === "path" && (
          <Field id="data-server-path" label="Path or URL" hint="A file, folder or glob on the server's machine, or an http(s) URL.">
            <input
              id="data-server-path"
              className="mono"
              value={state.source.serverPath}
              onChange={(e) => setSource({ serverPath: e.target.value })}
              placeholder="/data/HR-Employee-Attrition.csv, /data/*.csv or https://…"
            />
          </Field>
        )}
      </fieldset>

      <StepActions ready={ready} />
    </form>
  );
}
