import type { FormEvent } from "react";
import { useUploadFile } from "../../../api/data";
import type { Datastore } from "../../../api/datastores";
import { Options } from "../../../components/Options";
import { ErrorMessage } from "../../../components/Status";
import type { Update } from "../CreateDataWizard";
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

interface Props {
  state: WizardState;
  update: Update;
  datastores: Datastore[] | undefined;
  onNext: () => void;
}

export function BasicsStep({ state, update, datastores, onNext }: Props) {
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
        <div className="field">
          <label htmlFor="data-name">Name</label>
          <input
            id="data-name"
            required
            value={state.name}
            onChange={(e) => update((s) => ({ ...s, name: e.target.value }))}
            placeholder="employeeattrition"
            autoComplete="off"
          />
          <small className="hint">Letters, digits, '-', '_' and '.'; a new version is added if the name exists.</small>
        </div>
        <div className="field">
          <label htmlFor="data-description">Description</label>
          <textarea
            id="data-description"
            rows={2}
            value={state.description}
            onChange={(e) => update((s) => ({ ...s, description: e.target.value }))}
          />
        </div>
        <div className="field">
          <label htmlFor="data-type">Type</label>
          <select
            id="data-type"
            value={state.type}
            onChange={(e) => update((s) => ({ ...s, type: e.target.value as WizardState["type"] }))}
          >
            <Options options={TYPES} />
          </select>
          <small className="hint">{TYPES.find((t) => t.value === state.type)?.hint}</small>
        </div>
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
          <div className="field">
            <label htmlFor="data-file">File to upload</label>
            <input id="data-file" type="file" onChange={(e) => onFile(e.target.files?.[0])} />
            {upload.isPending && <p className="muted" role="status">Uploading {state.source.fileName}…</p>}
            {state.source.uploadedPath && !upload.isPending && (
              <p className="ok" role="status" data-testid="upload-done">
                Uploaded {state.source.fileName}
              </p>
            )}
            <ErrorMessage error={upload.error} title="Upload failed" />
          </div>
        )}

        {state.source.kind === "datastore" && (
          <>
            <div className="field">
              <label htmlFor="data-datastore">Datastore</label>
              <select
                id="data-datastore"
                value={state.source.datastore}
                onChange={(e) => setSource({ datastore: e.target.value })}
              >
                <option value="">Choose a datastore</option>
                <Options options={datastores?.map((d) => ({ value: d.name, label: `${d.name} (${d.type})` }))} />
              </select>
            </div>
            {selectedStore?.type === "sql" ? (
              <div className="field">
                <label htmlFor="data-query">SQL query</label>
                <textarea
                  id="data-query"
                  rows={3}
                  className="mono"
                  value={state.source.query}
                  onChange={(e) => setSource({ query: e.target.value })}
                  placeholder="SELECT * FROM staff"
                />
                <small className="hint">One SELECT or WITH statement; its result is stored as Parquet.</small>
              </div>
            ) : (
              <div className="field">
                <label htmlFor="data-datastore-path">Path in the datastore</label>
                <input
                  id="data-datastore-path"
                  className="mono"
                  value={state.source.datastorePath}
                  onChange={(e) => setSource({ datastorePath: e.target.value })}
                  placeholder="folder/file.csv or folder/*.csv"
                />
              </div>
            )}
          </>
        )}

        {state.source.kind === "path" && (
          <div className="field">
            <label htmlFor="data-server-path">Path or URL</label>
            <input
              id="data-server-path"
              className="mono"
              value={state.source.serverPath}
              onChange={(e) => setSource({ serverPath: e.target.value })}
              placeholder="/data/HR-Employee-Attrition.csv, /data/*.csv or https://…"
            />
            <small className="hint">A file, folder or glob on the server's machine, or an http(s) URL.</small>
          </div>
        )}
      </fieldset>

      <div className="actions">
        <button type="submit" className="button primary" disabled={!ready}>
          Next
        </button>
      </div>
    </form>
  );
}
