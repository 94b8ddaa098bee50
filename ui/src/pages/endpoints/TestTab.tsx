import { useState } from "react";
import { useDataProfile } from "../../api/data";
import { scoringError, useCredentials, useScore, useSwagger, type OnlineEndpoint, type ScoreReply } from "../../api/endpoints";
import { useModel } from "../../api/models";
import { Options } from "../../components/Options";
import { ErrorMessage, Loading } from "../../components/Status";
import { lineageOf } from "../models/lineage";
import { primaryDeployment, secretOf } from "./endpointState";
import { categoriesFromProfile, formValues, recordOf, scoringSchema, withCategories, type FormField, type Values } from "./scoringForm";

/** Send a request to one deployment through the scoring route, as a client would (with the endpoint's key). */
export function TestTab({ endpoint }: { endpoint: OnlineEndpoint }) {
  const [deployment, setDeployment] = useState(() => primaryDeployment(endpoint));
  const chosen = endpoint.deployments?.find((d) => d.name === deployment);
  const credentials = useCredentials(endpoint.name);
  const secret = secretOf(credentials.data);
  const swagger = useSwagger(endpoint, deployment, secret, credentials.isSuccess && chosen?.state === "Succeeded");
  // Categorical columns become selects when the training data's profile knows all their values.
  const model = useModel(chosen?.model ?? "", String(chosen?.model_version ?? ""), chosen !== undefined);
  const data = model.data ? lineageOf(model.data).data[0] : undefined;
  const profile = useDataProfile(data?.name ?? "", data?.version ?? "", data !== undefined);

  if (!endpoint.deployments?.length) return <p className="muted">Deploy a model to this endpoint to test it.</p>;
  const schema = swagger.data ? scoringSchema(swagger.data) : null;
  return (
    <div className="test-tab">
      <label className="inline-field">
        Deployment
        <select value={deployment} onChange={(e) => setDeployment(e.target.value)}>
          <Options options={endpoint.deployments.map((d) => ({ value: d.name, label: `${d.name} (${d.model}:${d.model_version})` }))} />
        </select>
      </label>
      {chosen && chosen.state !== "Succeeded" && <p className="muted">Deployment {chosen.name} is {chosen.state}; it can be tested once it has succeeded.</p>}
      <ErrorMessage error={credentials.error ?? swagger.error} />
      {swagger.isFetching && !schema && <Loading what="Loading the deployment's input schema" />}
      {schema && (
        <RequestForm
          key={deployment}
          endpoint={endpoint}
          deployment={deployment}
          secret={secret}
          fields={withCategories(schema.fields, categoriesFromProfile(profile.data))}
          example={schema.example}
        />
      )}
    </div>
  );
}

type Mode = "form" | "json";

function RequestForm({
  endpoint,
  deployment,
  secret,
  fields,
  example,
}: {
  endpoint: OnlineEndpoint;
  deployment: string;
  secret: string | null;
  fields: FormField[];
  example: Record<string, unknown> | null;
}) {
  const [mode, setMode] = useState<Mode>(fields.length ? "form" : "json");
  const [edited, setEdited] = useState<Values | null>(null);
  const values = edited ?? formValues(fields, example);
  const [json, setJson] = useState("");
  const [jsonError, setJsonError] = useState<string | null>(null);
  const score = useScore(endpoint);

  const bodyOfForm = () => JSON.stringify({ data: [recordOf(fields, values)] }, null, 2);
  const switchTo = (next: Mode) => {
    if (next === mode) return;
    if (next === "json") {
      setJson(bodyOfForm());
    } else {
      try {
        const parsed = JSON.parse(json) as { data?: unknown[] };
        const record = Array.isArray(parsed.data) ? parsed.data[0] : undefined;
        if (typeof record !== "object" || record === null) throw new Error('the body has no record in "data"');
        setEdited(formValues(fields, record as Record<string, unknown>));
      } catch (error) {
        setJsonError(`Cannot show this body as a form: ${(error as Error).message}`);
        return;
      }
    }
    setJsonError(null);
    setMode(next);
  };
  const send = () => score.mutate({ body: mode === "form" ? bodyOfForm() : json, secret, deployment });

  return (
    <form
      className="form"
      aria-label="Test request"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <div className="toolbar" role="group" aria-label="Request editor">
        <button type="button" className="button small" aria-pressed={mode === "form"} disabled={!fields.length} onClick={() => switchTo("form")}>
          Form
        </button>
        <button type="button" className="button small" aria-pressed={mode === "json"} onClick={() => switchTo("json")}>
          JSON
        </button>
        <span className="muted small">{fields.length ? `${fields.length} input columns` : "the model publishes no column schema"}</span>
      </div>
      {jsonError && (
        <p className="error-inline" role="alert">
          {jsonError}
        </p>
      )}
      {mode === "form" ? (
        <div className="form-grid scoring-fields">
          {fields.map((field) => (
            <FieldInput key={field.name} field={field} value={values[field.name] ?? ""} onChange={(v) => setEdited({ ...values, [field.name]: v })} />
          ))}
        </div>
      ) : (
        <div className="field wide">
          <label htmlFor="request-json">Request body (JSON)</label>
          <textarea id="request-json" className="mono" rows={14} spellCheck={false} value={json} onChange={(e) => setJson(e.target.value)} />
        </div>
      )}
      <div className="toolbar">
        <button type="submit" className="button primary" disabled={score.isPending}>
          {score.isPending ? "Sending…" : "Send"}
        </button>
      </div>
      <ErrorMessage error={score.error} title="The request did not reach the server" />
      {score.data && <Reply reply={score.data} />}
    </form>
  );
}

function FieldInput({ field, value, onChange }: { field: FormField; value: string; onChange: (value: string) => void }) {
  const id = `column-${field.name}`;
  const label = (
    <label htmlFor={id}>
      {field.name}
      {!field.required && <span className="muted small"> (optional)</span>}
    </label>
  );
  if (field.kind === "select" || field.kind === "boolean") {
    const options = field.kind === "boolean" ? ["true", "false"] : (field.options ?? []);
    return (
      <div className="field">
        {label}
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">—</option>
          {/* a value the list does not know (from the example) stays selectable */}
          <Options options={[...options, ...(value && !options.includes(value) ? [value] : [])]} />
        </select>
      </div>
    );
  }
  const numeric = field.kind === "integer" || field.kind === "number";
  return (
    <div className="field">
      {label}
      <input
        id={id}
        type={numeric ? "number" : "text"}
        step={field.kind === "integer" ? 1 : "any"}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

function Reply({ reply }: { reply: ScoreReply }) {
  const ok = reply.status < 400;
  let body = reply.body;
  try {
    body = JSON.stringify(JSON.parse(reply.body), null, 2);
  } catch {
    // not JSON: shown as it came
  }
  return (
    <section className="reply" aria-label="Response">
      <p>
        <span className={ok ? "badge ok" : "badge warn"} data-testid="reply-status">
          HTTP {reply.status}
        </span>{" "}
        <span className="muted" data-testid="reply-latency">
          {reply.ms.toFixed(0)} ms
        </span>
      </p>
      {!ok && (
        <div className="error" role="alert">
          <strong>The endpoint refused the request ({reply.status})</strong>
          <span className="error-detail">{scoringError(reply.body)}</span>
        </div>
      )}
      <pre className="reply-body" data-testid="reply-body" tabIndex={0}>
        {body}
      </pre>
    </section>
  );
}
