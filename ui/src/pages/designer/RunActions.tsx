import { useState } from "react";
import { useNavigate } from "react-router";
import { ranDraft, useCreateInferencePipeline, type DesignerDraft, type InferenceKind } from "../../api/designer";
import type { Job } from "../../api/jobs";
import { ErrorMessage } from "../../components/Status";
import { DeployDialog } from "../automl/DeployDialog";
import type { PipelineParameterRow } from "./pipelineParameters";
import { PublishDialog } from "./PublishDialog";

type Props = {
  draft: DesignerDraft;
  run: Job | undefined;
  /** the draft version the canvas holds, when saved */
  canvasVersion: number | null;
  runCount: number;
  save: () => Promise<number>;
  onHistory: () => void;
  parameters: PipelineParameterRow[];
};
const KINDS: { kind: InferenceKind; label: string }[] = [
  { kind: "real-time", label: "Real-time inference pipeline" },
  { kind: "batch", label: "Batch inference pipeline" },
];

/** What a draft leads to: inference pipelines from a completed training run, Deploy (real-time), Publish, run history. */
export function RunActions({ draft, run, canvasVersion, runCount, save, onHistory, parameters }: Props) {
  const navigate = useNavigate();
  const create = useCreateInferencePipeline();
  const [dialog, setDialog] = useState<"deploy" | "publish" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const trained = draft.kind === "training" && run?.status === "Completed";
  const ran = run && ranDraft(run);
  const open = async (which: "deploy" | "publish") => {
    setError(null);
    try {
      if (which === "deploy") await save(); // the model is built from the saved draft
      setDialog(which);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <div className="run-actions" role="toolbar" aria-label="Run actions">
      <button type="button" className="button small" onClick={onHistory}>
        Runs ({runCount})
      </button>
      {trained && (
        <span className="inline-field" role="group" aria-label="Create inference pipeline">
          <span className="muted">Create inference pipeline:</span>
          {KINDS.map(({ kind, label }) => (
            <button
              key={kind}
              type="button"
              className="button small"
              disabled={create.isPending}
              onClick={() => create.mutate({ job: run.name, kind }, { onSuccess: (made) => navigate(`/designer/${encodeURIComponent(made.name)}`) })}
            >
              {label}
            </button>
          ))}
        </span>
      )}
      {ran && canvasVersion !== null && ran.version !== canvasVersion && (
        <span className="muted small" role="note">
          Run {run.name} ran version {ran.version}; the canvas holds version {canvasVersion} (Runs: clone the run to open its graph).
        </span>
      )}
      {draft.kind === "real-time" ? (
        <button type="button" className="button small primary" onClick={() => open("deploy")}>
          Deploy
        </button>
      ) : (
        <button type="button" className="button small" onClick={() => open("publish")}>
          Publish
        </button>
      )}
      <ErrorMessage error={error ?? create.error} title={create.error ? "No inference pipeline" : "Not saved"} />
      {dialog === "deploy" && <DeployDialog source={{ draft: draft.name }} title={`${draft.name} (real-time inference pipeline)`} suggestedName={draft.name} endpointTab="test" onClose={() => setDialog(null)} />}
      {dialog === "publish" && <PublishDialog draftName={draft.name} save={save} parameters={parameters} onClose={() => setDialog(null)} />}
    </div>
  );
}
