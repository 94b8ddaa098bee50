import type { FormEvent } from "react";
import { HEADER_MODES, useSourcePreview } from "../../../api/data";
import type { Datastore } from "../../../api/datastores";
import { Options } from "../../../components/Options";
import { PreviewTable } from "../../../components/PreviewTable";
import { ErrorMessage, Loading } from "../../../components/Status";
import type { Update } from "../CreateDataWizard";
import { previewRequest, type WizardState } from "./state";

const FORMATS = [
  { value: "", label: "Detect" },
  { value: "csv", label: "Delimited (CSV)" },
  { value: "tsv", label: "Tab-separated (TSV)" },
  { value: "parquet", label: "Parquet" },
  { value: "jsonl", label: "JSON lines" },
];

const DELIMITERS = [
  { value: "", label: "Detect" },
  { value: ",", label: "Comma  ," },
  { value: ";", label: "Semicolon  ;" },
  { value: "\t", label: "Tab" },
  { value: "|", label: "Pipe  |" },
  { value: " ", label: "Space" },
  { value: ":", label: "Colon  :" },
];

const ENCODINGS = ["utf-8", "utf-16", "latin-1", "cp1252", "iso8859-15", "ascii", "shift_jis", "gb18030"];

interface Props {
  state: WizardState;
  update: Update;
  datastores: Datastore[] | undefined;
  onNext: () => void;
  onBack: () => void;
}

export function SettingsStep({ state, update, datastores, onNext, onBack }: Props) {
  const preview = useSourcePreview(previewRequest(state, datastores));
  const setParse = (change: Partial<WizardState["parse"]>) =>
    update((s) => ({ ...s, parse: { ...s.parse, ...change } }));
  const delimited = state.parse.format === "" || state.parse.format === "csv" || state.parse.format === "tsv";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (preview.data && !preview.isError) onNext();
  };

  return (
    <form onSubmit={submit} className="form" aria-label="Settings and preview">
      <fieldset className="settings-grid">
        <legend>Settings</legend>
        <div className="field">
          <label htmlFor="parse-format">File format</label>
          <select
            id="parse-format"
            value={state.parse.format}
            onChange={(e) => setParse({ format: e.target.value as WizardState["parse"]["format"] })}
          >
            <Options options={FORMATS} />
          </select>
        </div>
        <div className="field">
          <label htmlFor="parse-delimiter">Delimiter</label>
          <select
            id="parse-delimiter"
            value={state.parse.delimiter}
            disabled={!delimited}
            onChange={(e) => setParse({ delimiter: e.target.value })}
          >
            <Options options={DELIMITERS} />
          </select>
        </div>
        <div className="field">
          <label htmlFor="parse-encoding">Encoding</label>
          <select
            id="parse-encoding"
            value={state.parse.encoding}
            disabled={!delimited}
            onChange={(e) => setParse({ encoding: e.target.value })}
          >
            <Options options={ENCODINGS} />
          </select>
        </div>
        <div className="field">
          <label htmlFor="parse-header">Column headers</label>
          <select
            id="parse-header"
            value={state.parse.header}
            disabled={!delimited}
            onChange={(e) => setParse({ header: e.target.value as WizardState["parse"]["header"] })}
          >
            <Options options={HEADER_MODES} />
          </select>
        </div>
        <div className="field">
          <label htmlFor="parse-skip-rows">Skip rows</label>
          <input
            id="parse-skip-rows"
            type="number"
            min={0}
            step={1}
            disabled={!delimited}
            value={state.parse.skipRows}
            onChange={(e) => setParse({ skipRows: Math.max(0, e.target.valueAsNumber || 0) })}
          />
        </div>
      </fieldset>

      <section aria-labelledby="preview-title" className="preview">
        <h2 id="preview-title">
          Preview {preview.isFetching && <span className="muted small" role="status">refreshing…</span>}
        </h2>
        <ErrorMessage error={preview.error} />
        {preview.isPending && !preview.isError && <Loading what="Reading the source" />}
        {preview.data && !preview.isError && (
          <PreviewTable columns={preview.data.columns} rows={preview.data.rows} caption="First rows with these settings" />
        )}
      </section>

      <div className="actions">
        <button type="button" className="button" onClick={onBack}>
          Back
        </button>
        <button type="submit" className="button primary" disabled={!preview.data || preview.isError || preview.isFetching}>
          Next
        </button>
      </div>
    </form>
  );
}
