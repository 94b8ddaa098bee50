import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useDeployModel, type AuthMode, type DeployProgress, type DeployStep, type ModelSource } from "../../api/automl";
import { Field, SelectField } from "../../components/Field";
import { ErrorMessage } from "../../components/Status";
import "../../components/dialog.css";
import { ProgressSteps } from "../../components/ProgressSteps";

const STEPS: { step: DeployStep; label: string }[] = [
  { step: "refit", label: "Refit the trial's model" },
  { step: "model", label: "Register the model" },
  { step: "endpoint", label: "Create the endpoint" },
  { step: "deployment", label: "Deploy with 100% of the traffic" },
  { step: "ready", label: "Ready to score" },
];
const AUTH_MODES: { value: NonNullable<AuthMode>; label: string }[] = [
  { value: "key", label: "Key" },
  { value: "token", label: "Token" },
  { value: "none", label: "None (anyone may call it)" },
];

/** A legal model or endpoint name from free text. */
export const asName = (text: string) => text.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").replace(/\.\.+/g, ".").slice(0, 60);

type Props = { source: ModelSource; title: string; suggestedName: string; onClose: () => void; /** the endpoint page's tab the closing link opens */ endpointTab?: "test" };

/** Register a model (a trial's, or a real-time inference draft's), create an online endpoint and deploy it there;
 * shows each step, then links the endpoint. */
export function DeployDialog({ source, title, suggestedName, onClose, endpointTab }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [modelName, setModelName] = useState(asName(suggestedName));
  const [endpointName, setEndpointName] = useState(asName(`${suggestedName}-endpoint`));
  const [authMode, setAuthMode] = useState<AuthMode>("key");
  const [instanceCount, setInstanceCount] = useState(1);
  const [progress, setProgress] = useState<DeployProgress | null>(null);
  const deploy = useDeployModel(setProgress);
  const steps = "trial" in source && !source.modelUri ? STEPS : STEPS.filter((s) => s.step !== "refit");
  const current = steps.findIndex((s) => s.step === progress?.step);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const ready = modelName.trim() !== "" && endpointName.trim() !== "" && Number.isInteger(instanceCount) && instanceCount >= 1 && instanceCount <= 16;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready || deploy.isPending) return;
    setProgress(null);
    deploy.mutate({ source, modelName: modelName.trim(), endpointName: endpointName.trim(), authMode, instanceCount });
  };
  const locked = deploy.isPending || deploy.isSuccess;

  return (
    <dialog ref={dialog} className="dialog deploy-dialog" aria-labelledby="deploy-heading" onClose={onClose}>
      <form onSubmit={submit} className="form">
        <h2 id="deploy-heading">Deploy {title}</h2>
        <Field id="deploy-model-name" label="Model name" hint="A new version is added when the name exists.">
          <input id="deploy-model-name" required value={modelName} disabled={locked} onChange={(e) => setModelName(e.target.value)} autoComplete="off" />
        </Field>
        <Field id="deploy-endpoint-name" label="Endpoint name">
          <input id="deploy-endpoint-name" required value={endpointName} disabled={locked} onChange={(e) => setEndpointName(e.target.value)} autoComplete="off" />
        </Field>
        <SelectField id="deploy-auth" label="Authentication" value={authMode ?? ""} options={AUTH_MODES} disabled={locked} onChange={(mode) => setAuthMode(mode as AuthMode)} />
        <Field id="deploy-instances" label="Instance count">
          <input id="deploy-instances" type="number" min={1} max={16} value={Number.isNaN(instanceCount) ? "" : instanceCount} disabled={locked} onChange={(e) => setInstanceCount(e.target.valueAsNumber)} />
        </Field>

        {(progress || deploy.isError) && (
          <ProgressSteps
            label="Deployment progress"
            steps={steps.map((s, i) => ({
              key: s.step,
              label: s.label,
              state: deploy.isSuccess || i < current ? "done" : i === current ? (deploy.isError ? "failed" : "active") : "todo",
              detail: i === current ? progress?.detail : undefined,
            }))}
          />
        )}
        <ErrorMessage error={deploy.error} title="Deployment stopped" />
        {deploy.isSuccess && progress?.endpoint && (
          <p className="ok" role="status">
            Deployed. <Link to={`/endpoints/${encodeURIComponent(progress.endpoint.name)}${endpointTab ? `?tab=${endpointTab}` : ""}`}>Open endpoint {progress.endpoint.name}</Link>
          </p>
        )}
        <div className="actions">
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            {deploy.isSuccess ? "Close" : "Cancel"}
          </button>
          {!deploy.isSuccess && (
            <button type="submit" className="button primary" disabled={!ready || deploy.isPending}>
              {deploy.isPending ? "Deploying…" : deploy.isError ? "Try again" : "Deploy"}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}
