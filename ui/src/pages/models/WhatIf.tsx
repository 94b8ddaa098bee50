import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { scoreExplained, useCredentials, useEndpoint } from "../../api/endpoints";
import { useModelDeployments, type Model, type OnlineDeployment } from "../../api/models";
import { SelectField } from "../../components/Field";
import { ErrorMessage } from "../../components/Status";
import { formatValue } from "../../components/format";
import { secretOf } from "../endpoints/endpointState";
import { WaterfallChart } from "./Explanations";
import { signatureColumns } from "./Signature";

/** Edit the row's raw values and score it again through one of the version's deployments, with its new explanation. */
export function WhatIf({ model, features, row, outputLabel }: { model: Model; features: string[]; row: unknown[]; outputLabel: string }) {
  const deployments = useModelDeployments(model);
  const [picked, setPicked] = useState(0);
  const live = (deployments.data ?? []).filter((d) => d.state === "Succeeded");
  // The explanation's raw rows are the record the model receives, unless the pipeline dropped a column it reads.
  const missing = signatureColumns(model.signature?.inputs).flatMap((c) => (c.name && !features.includes(c.name) ? [c.name] : []));
  if (missing.length) {
    return (
      <section aria-label="What-if">
        <h3>What if</h3>
        <p className="muted">The explained rows lack {missing.join(", ")}, which the model reads, so they cannot be scored again.</p>
      </section>
    );
  }
  return (
    <section aria-label="What-if">
      <h3>What if</h3>
      <ErrorMessage error={deployments.error} />
      {deployments.data && !live.length && (
        <p className="muted">Deploy this version to an online endpoint to edit this row and score it again through the serving engine.</p>
      )}
      {live.length > 0 && (
        <>
          {live.length > 1 && (
            <SelectField
              id="what-if-deployment"
              label="Score with"
              className="inline-field"
              value={picked}
              options={live.map((d, i) => ({ value: String(i), label: `${d.endpoint_name} / ${d.name}` }))}
              onChange={(value) => setPicked(Number(value))}
            />
          )}
          <WhatIfForm key={picked} deployment={live[Math.min(picked, live.length - 1)]} features={features} row={row} outputLabel={outputLabel} />
        </>
      )}
    </section>
  );
}

function WhatIfForm({ deployment, features, row, outputLabel }: { deployment: OnlineDeployment; features: string[]; row: unknown[]; outputLabel: string }) {
  const endpoint = useEndpoint(deployment.endpoint_name);
  const credentials = useCredentials(deployment.endpoint_name);
  const [texts, setTexts] = useState(() => row.map((v) => (v === null || v === undefined ? "" : String(v))));
  const score = useMutation({
    mutationFn: () => {
      const record = Object.fromEntries(features.map((f, i) => [f, typeof row[i] === "number" ? Number(texts[i]) : texts[i]]));
      return scoreExplained(endpoint.data!, deployment.name, secretOf(credentials.data), record);
    },
  });
  const explained = score.data?.explanation?.outputs.find((o) => o.output === outputLabel) ?? score.data?.explanation?.outputs[0];
  const contributions = explained?.contributions[0] ?? {};
  return (
    <form
      className="what-if"
      onSubmit={(e) => {
        e.preventDefault();
        score.mutate();
      }}
    >
      <div className="what-if-fields">
        {features.map((feature, i) => (
          <label key={feature}>
            <span className="importance-name">{feature}</span>
            <input
              name={feature}
              type={typeof row[i] === "number" ? "number" : "text"}
              step="any"
              value={texts[i]}
              onChange={(e) => setTexts((current) => current.map((t, j) => (j === i ? e.target.value : t)))}
            />
          </label>
        ))}
      </div>
      <button type="submit" className="button primary" disabled={!endpoint.data || !credentials.isSuccess || score.isPending}>
        Score through {deployment.endpoint_name} / {deployment.name}
      </button>
      <ErrorMessage error={endpoint.error ?? credentials.error ?? score.error} />
      {score.data && (
        <div data-testid="what-if-result">
          <p>
            Prediction: <strong>{formatValue(Array.isArray(score.data.result) ? score.data.result[0] : score.data.result)}</strong>
          </p>
          {score.data.refusal && <p className="muted">No new explanation: {score.data.refusal}</p>}
          {explained && (
            <WaterfallChart
              label="Contributions to the edited row"
              base={explained.base_value}
              features={Object.keys(contributions)}
              contributions={Object.values(contributions)}
              values={Object.keys(contributions).map((f) => texts[features.indexOf(f)] ?? null)}
            />
          )}
        </div>
      )}
    </form>
  );
}
