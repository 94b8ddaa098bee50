import type { FormEvent } from "react";
import { HEADER_MODES, useSourcePreview } from "../../../api/data";
import { Field, SelectField } from "../../../components/Field";
import { PreviewTable } from "../../../components/PreviewTable";
import { ErrorMessage, Loading } from "../../../components/Status";
import { StepActions } from "../../../components/StepActions";
import type { StepProps } from "../CreateDataWizard";
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

export function SettingsStep({ state, update, datastores, onNext, onBack }: StepProps) {
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
        <SelectField
          id="parse-format"
          label="File format"
          value={state.parse.format}
          options={FORMATS}
          onChange={(format) => setParse({ format: format as WizardState["parse"]["format"] })}
        />
        <SelectField id="parse-delimiter" label="Delimiter" value={state.parse.delimiter} options={DELIMITERS} disabled={!delimited} onChange={(delimiter) => setParse({ delimiter })} />
        <SelectField id="parse-encoding" label="Encoding" value={state.parse.encoding} options={ENCODINGS} disabled={!delimited} onChange={(encoding) => setParse({ encoding })} />
        <SelectField
          id="parse-header"
          label="Column headers"
          value={state.parse.header}
          options={HEADER_MODES}
          disabled={!delimited}
          onChange={(header) => setParse({ header: header as WizardState["parse"]["header"] })}
        />
        <Field id="parse-skip-rows" label="Skip rows">
          <input
            id="parse-skip-rows"
            type="number"
            min={0}
            step={1}
            disabled={!delimited}
            value={state.parse.skipRows}
            onChange={(e) => setParse({ skipRows: Math.max(0, e.target.valueAsNumber || 0) })}
          />
        </Field>
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

      <StepActions onBack={onBack} ready={Boolean(preview.data) && !preview.isError && !preview.isFetching} />
    </form>
  );
}
