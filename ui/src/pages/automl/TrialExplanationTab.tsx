import { Link } from "react-router";
import { useExplainTrial, useTrialExplanation, useTrialExplanationResult } from "../../api/automl";
import { useJob } from "../../api/jobs";
import { ProgressSteps } from "../../components/ProgressSteps";
import { ErrorMessage, Loading } from "../../components/Status";
import { StatusBadge } from "../../components/StatusBadge";
import { ExplanationView } from "../models/Explanations";
import { explainingSteps, explanationState, type TrialFacts } from "./trialExplanation";

/** A trial's Explanations tab: its model's explanation (the model page's views), or "Explain this model" and the
 * progress of the job that refits (when the trial kept no model) and explains it. */
export function TrialExplanationTab({ trial, facts }: { trial: string; facts: TrialFacts }) {
  const current = useTrialExplanation(trial);
  const explain = useExplainTrial(trial);
  const state = current.data !== undefined ? explanationState(current.data, facts) : undefined;
  const result = useTrialExplanationResult(trial, state?.kind === "shown" ? state.job : undefined);

  if (current.isPending) return <Loading />;
  if (current.error) return <ErrorMessage error={current.error} />;
  if (!state) return null;
  if (state.kind === "shown") {
    if (result.isPending) return <Loading what="Loading the explanation" />;
    if (result.error) return <ErrorMessage error={result.error} />;
    return (
      <>
        <p className="muted small">
          Made by job <Link to={`/jobs/${encodeURIComponent(state.job)}`}>{state.job}</Link>.
        </p>
        <ExplanationView explanation={result.data} />
      </>
    );
  }
  if (state.kind === "running") return <Explaining job={state.job} trialHadModel={facts.hasModel} />;
  if (state.kind === "unavailable") return <p className="muted">{state.reason}</p>;
  return (
    <div className="analysis">
      {state.failed && <ErrorMessage error={new Error(state.failed.error)} title={`The explanation (job ${state.failed.job}) failed`} />}
      <p className="muted">
        This trial's model has no explanation yet.{" "}
        {state.refits ? "The trial kept no model: it is refit on all training rows first, then explained." : "Its model is explained on the training rows."}
      </p>
      <button type="button" className="button primary" disabled={explain.isPending} onClick={() => explain.mutate()}>
        Explain this model
      </button>
      <ErrorMessage error={explain.error} title="Cannot explain this model" />
    </div>
  );
}

function Explaining({ job, trialHadModel }: { job: string; trialHadModel: boolean }) {
  const running = useJob(job);
  const status = running.data?.status;
  const logged = Boolean(running.data?.properties?.model_uri);
  return (
    <div className="analysis" data-testid="explaining">
      <p>
        Explaining this model: job <Link to={`/jobs/${encodeURIComponent(job)}`}>{job}</Link> {status && <StatusBadge status={status} />}
      </p>
      <ProgressSteps label="Explanation progress" steps={explainingSteps(status, trialHadModel, logged)} />
    </div>
  );
}
