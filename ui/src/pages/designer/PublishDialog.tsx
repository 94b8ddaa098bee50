import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { usePipelineEndpoints, usePublishDraft, useRunPipelineEndpoint, type PipelineEndpoint } from "../../api/pipelineEndpoints";
import { Field } from "../../components/Field";
import { ComputeOptions } from "./ComputeOptions";
import { ErrorMessage } from "../../components/Status";
import "../../components/dialog.css";
import { asName } from "../automl/DeployDialog";
import { PipelineParameterFields } from "./PipelineParameterFields";
import { endpointParameterRows, fieldErrorOf, runValues, type PipelineParameterRow } from "./pipelineParameters";

type Props = { draftName: string; save: () => Promise<number>; parameters: PipelineParameterRow[]; onClose: () => void };

/** Publish the draft (saved first) to a pipeline endpoint: a new one, or a new default version of an existing one; then run it. */
export function PublishDialog({ draftName, save, parameters, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const endpoints = usePipelineEndpoints();
  const publish = usePublishDraft();
  const [asNewVersion, setAsNewVersion] = useState(false);
  const [newName, setNewName] = useState(asName(`${draftName}-endpoint`));
  const [existing, setExisting] = useState("");
  const [compute, setCompute] = useState("");
  const [saving, setSaving] = useState<unknown>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const names = (endpoints.data ?? []).map((e) => e.name);
  const endpoint = asNewVersion ? existing || names[0] || "" : newName.trim();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!endpoint || publish.isPending || publish.isSuccess) return; // Enter in the run's fields does not publish again
    setSaving(null);
    let version: number;
    try {
      version = await save();
    } catch (failure) {
      setSaving(failure);
      return;
    }
    publish.mutate({ endpoint, asNewVersion, draft: `${draftName}:${version}`, compute: compute || null, make_default: true });
  };
  const published = publish.data;
  const latest = published?.versions?.at(-1);
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="publish-heading" onClose={onClose}>
      <form onSubmit={submit} className="form">
        <h2 id="publish-heading">Publish {draftName}</h2>
        <fieldset disabled={publish.isPending || publish.isSuccess}>
          <legend>Pipeline endpoint</legend>
          <label>
            <input type="radio" name="publish-to" checked={!asNewVersion} onChange={() => setAsNewVersion(false)} /> A new endpoint
          </label>
          <label>
            <input type="radio" name="publish-to" checked={asNewVersion} disabled={names.length === 0} onChange={() => setAsNewVersion(true)} /> A new version of an
            endpoint
          </label>
          {asNewVersion ? (
            <Field id="publish-existing" label="Endpoint">
              <select id="publish-existing" value={endpoint} onChange={(e) => setExisting(e.target.value)}>
                {names.map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </select>
            </Field>
          ) : (
            <Field id="publish-name" label="Endpoint name">
              <input id="publish-name" required value={newName} onChange={(e) => setNewName(e.target.value)} autoComplete="off" />
            </Field>
          )}
          <Field id="publish-compute" label="Compute of its runs">
            <select id="publish-compute" value={compute} onChange={(e) => setCompute(e.target.value)}>
            <ComputeOptions />
            </select>
          </Field>
          <p className="small" data-testid="publish-parameters">
            Pipeline parameters a run can set:{" "}
            {parameters.length ? parameters.map((p) => `${p.name} (${p.type}, default ${JSON.stringify(p.default)})`).join(", ") : "none"}
          </p>
        </fieldset>
        <ErrorMessage error={saving ?? publish.error} title="Not published" />
        {published && latest && (
          <div className="ok" role="status">
            <p>
              Published {draftName} as version {latest.version} (the default) of <strong>{published.name}</strong>.
            </p>
            <p className="small">
              Start a run: <code>POST {published.runs_uri}</code> with the endpoint's key; parameters: {Object.keys(latest.parameters ?? {}).join(", ") || "none"}.
            </p>
          </div>
        )}
        {published && latest && <RunEndpoint endpoint={published} rows={endpointParameterRows(latest.parameters ?? {}, parameters)} />}
        <div className="actions">
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            {publish.isSuccess ? "Close" : "Cancel"}
          </button>
          {!publish.isSuccess && (
            <button type="submit" className="button primary" disabled={!endpoint || publish.isPending}>
              {publish.isPending ? "Publishing…" : "Publish"}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}

/** A run of the published endpoint with its parameters (data assets of its dataset nodes, pipeline parameters), prefilled with its defaults. */
function RunEndpoint({ endpoint, rows }: { endpoint: PipelineEndpoint; rows: PipelineParameterRow[] }) {
  const run = useRunPipelineEndpoint();
  const [entered, setEntered] = useState<Record<string, unknown>>({});
  const fieldError = fieldErrorOf(run.error, rows.map((r) => r.name));
  return (
    <section aria-label="Run the endpoint" className="endpoint-run">
      <h3>Run {endpoint.name}</h3>
      <PipelineParameterFields rows={rows} values={entered} onChange={(name, value) => setEntered((e) => ({ ...e, [name]: value }))} idPrefix="endpoint" error={fieldError} />
      {fieldError === null && <ErrorMessage error={run.error} title="Not started" />}
      <p>
        <button type="button" className="button primary" disabled={run.isPending} onClick={() => run.mutate({ endpoint: endpoint.name, parameters: runValues(rows, entered) })}>
          {run.isPending ? "Starting…" : "Run"}
        </button>{" "}
        {run.data && (
          <span role="status">
            Started <Link to={`/jobs/${encodeURIComponent(run.data.name)}`}>{run.data.name}</Link>
          </span>
        )}
      </p>
    </section>
  );
}
