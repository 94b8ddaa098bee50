import { useState } from "react";
import { useCredentials, useRegenerateKey, useSwagger, type OnlineEndpoint } from "../../api/endpoints";
import { CodeBlock } from "../../components/CodeBlock";
import { ConfirmButton } from "../../components/ConfirmButton";
import { CopyButton } from "../../components/CopyButton";
import { ErrorMessage, Loading } from "../../components/Status";
import { primaryDeployment, scoringUrl, secretOf } from "./endpointState";
import { scoringSchema } from "./scoringForm";
import { curlSnippet, pythonSnippet, rSnippet, type SnippetInput } from "./snippets";

export function ConsumeTab({ endpoint }: { endpoint: OnlineEndpoint }) {
  const credentials = useCredentials(endpoint.name);
  const [revealed, setRevealed] = useState<Record<string, boolean>>({});
  const secret = secretOf(credentials.data);
  const swagger = useSwagger(endpoint, primaryDeployment(endpoint), secret, credentials.isSuccess);
  const example = swagger.data ? scoringSchema(swagger.data).example : null;
  const url = scoringUrl(endpoint);
  const shownSecret = endpoint.auth_mode === "key" ? revealed.primary : revealed.token;
  const input: SnippetInput = { url, auth: endpoint.auth_mode, secret: shownSecret ? secret : null, rows: example ? [example] : [] };
  const toggle = (which: string) => setRevealed({ ...revealed, [which]: !revealed[which] });

  return (
    <div className="consume endpoint-consume">
      <section>
        <h2>REST endpoint</h2>
        <div className="inline-field wrap">
          <input className="mono url-field" readOnly value={url} aria-label="REST URL" />
          <CopyButton text={url} label="Copy the REST URL" />
        </div>
        <p className="muted small">
          POST <code>{'{"data": [records]}'}</code> with <code>Authorization: Bearer &lt;key&gt;</code>; add{" "}
          <code>azureml-model-deployment: &lt;name&gt;</code> to pick a deployment.
        </p>
      </section>

      <section>
        <h2>Authentication</h2>
        <ErrorMessage error={credentials.error} />
        {credentials.isPending && <Loading what="Loading the keys" />}
        {endpoint.auth_mode === "none" && <p>This endpoint takes requests without a key.</p>}
        {endpoint.auth_mode === "key" && credentials.data && (
          <>
            <SecretField label="Primary key" value={credentials.data.primary_key ?? ""} shown={!!revealed.primary} onToggle={() => toggle("primary")} regenerate="primary" endpoint={endpoint.name} />
            <SecretField label="Secondary key" value={credentials.data.secondary_key ?? ""} shown={!!revealed.secondary} onToggle={() => toggle("secondary")} regenerate="secondary" endpoint={endpoint.name} />
          </>
        )}
        {endpoint.auth_mode === "token" && credentials.data && (
          <SecretField label="Access token" value={credentials.data.access_token ?? ""} shown={!!revealed.token} onToggle={() => toggle("token")} endpoint={endpoint.name} />
        )}
      </section>

      <section>
        <h2>Consumption snippets</h2>
        {!shownSecret && endpoint.auth_mode !== "none" && (
          <p className="muted small">The snippets read the {endpoint.auth_mode} from the environment; show it above to write it in.</p>
        )}
        {swagger.isError && <p className="muted small">No example record: {(swagger.error as Error).message}</p>}
        <CodeBlock label="curl" code={curlSnippet(input)} />
        <CodeBlock label="Python (requests)" code={pythonSnippet(input)} />
        <CodeBlock label="R (httr)" code={rSnippet(input)} />
      </section>
    </div>
  );
}

function SecretField({
  label,
  value,
  shown,
  onToggle,
  regenerate,
  endpoint,
}: {
  label: string;
  value: string;
  shown: boolean;
  onToggle: () => void;
  regenerate?: "primary" | "secondary";
  endpoint: string;
}) {
  const regenerateKey = useRegenerateKey(endpoint);
  return (
    <div className="field secret-field">
      <span className="field-label">{label}</span>
      <div className="inline-field wrap">
        <input className="mono secret-input" type={shown ? "text" : "password"} readOnly value={value} aria-label={label} />
        <button type="button" className="button small" aria-pressed={shown} onClick={onToggle} aria-label={`${shown ? "Hide" : "Show"} the ${label.toLowerCase()}`}>
          {shown ? "Hide" : "Show"}
        </button>
        <CopyButton text={value} label={`Copy the ${label.toLowerCase()}`} />
        {regenerate && (
          <ConfirmButton
            label={`Regenerate ${regenerate} key`}
            question={`The old ${regenerate} key stops working at once. Regenerate it?`}
            disabled={regenerateKey.isPending}
            onConfirm={() => regenerateKey.mutate(regenerate)}
          />
        )}
      </div>
      <ErrorMessage error={regenerateKey.error} title="The key was not regenerated" />
    </div>
  );
}
