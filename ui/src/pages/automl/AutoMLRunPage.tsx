import { useState } from "react";
import { Link, useParams } from "react-router";
import { automlProperties, useAutoMLOptions } from "../../api/automl";
import { isTerminal, useChildJobs, useJob, type Job } from "../../api/jobs";
import { ErrorMessage, Loading } from "../../components/Status";
import { formatValue } from "../../components/format";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDuration } from "../jobs/time";
import { DeployDialog } from "./DeployDialog";
import { Featurization } from "./Featurization";
import { Guardrails } from "./Guardrails";
import { Leaderboard } from "./Leaderboard";
import { keyMetrics, lowerIsBetter, rankTrials } from "./leaderboard";
import { RunFailure } from "./RunFailure";
import { budgetSeconds, phases, searchEnd, secondsLeft, trialsDone } from "./runState";
import { datasetOf, targetOf, trialPath } from "./paths";
import "./automl.css";

/** One AutoML run: live progress, the leaderboard of its trials, data guardrails, featurization, the best model. */
export default function AutoMLRunPage() {
  const name = useParams().name ?? "";
  const job = useJob(name);
  const live = !job.data || !isTerminal(job.data.status);
  const trials = useChildJobs(name, live);
  const options = useAutoMLOptions();
  const [deploying, setDeploying] = useState(false);

  if (job.isPending) return <Loading />;
  if (job.isError) return <ErrorMessage error={job.error} />;
  const run = job.data;
  const props = automlProperties(run);
  const metric = props.primary_metric ?? "";
  const rows = rankTrials(trials.data ?? [], lowerIsBetter(options.data, metric));
  const best = rows.find((r) => r.trial.name === props.best_child_job) ?? (rows[0]?.best ? rows[0] : undefined);

  return (
    <section className="automl-run">
      <p className="breadcrumb">
        <Link to="/automl">Automated ML</Link> / {run.experiment_name}
      </p>
      <div className="page-title">
        <h1>
          {run.display_name || run.name} <StatusBadge status={run.status} />
        </h1>
        <Link to={`/jobs/${encodeURIComponent(run.name)}`}>Job details and logs</Link>
      </div>
      <RunSummary run={run} />
      {run.error && <RunFailure error={run.error} title="The run failed" />}
      <Progress run={run} trials={trials.data} />

      <section aria-labelledby="best-model-heading" className="card best-model">
        <h2 id="best-model-heading">Best model</h2>
        {best ? (
          <>
            <p data-testid="best-model">
              <Link to={trialPath(run.name, best.trial.step ?? "")}>{best.trial.display_name}</Link> ({best.trial.step}):{" "}
              {metric} <strong>{formatValue(best.score)}</strong>
              {props.best_model_uri ? "" : isTerminal(run.status) ? "" : " — best so far; the model is logged when the run ends"}
            </p>
            <button type="button" className="button primary" disabled={!props.best_model_uri} onClick={() => setDeploying(true)}>
              Deploy best model
            </button>
          </>
        ) : (
          <p className="muted">No trial has been scored yet.</p>
        )}
      </section>
      {deploying && best && props.best_model_uri && (
        <DeployDialog source={{ trial: best.trial.name, modelUri: props.best_model_uri }} title={`${best.trial.display_name} (${best.trial.step})`} suggestedName={`${run.experiment_name}-best`} onClose={() => setDeploying(false)} />
      )}

      <section aria-labelledby="leaderboard-heading">
        <h2 id="leaderboard-heading">Leaderboard ({metric})</h2>
        <ErrorMessage error={trials.error} />
        <Leaderboard run={run} rows={rows} metrics={keyMetrics(options.data, props.task ?? "", metric)} />
      </section>
      <Guardrails rails={props.guardrails ?? []} />
      <Featurization rows={props.featurization ?? []} />
    </section>
  );
}

function RunSummary({ run }: { run: Job }) {
  const props = automlProperties(run);
  return (
    <dl className="details automl-summary">
      <dt>Task</dt>
      <dd>{props.task}</dd>
      <dt>Dataset</dt>
      <dd>{datasetOf(run)}</dd>
      <dt>Target</dt>
      <dd>{targetOf(run)}</dd>
      <dt>Primary metric</dt>
      <dd>{props.primary_metric}</dd>
      <dt>Compute</dt>
      <dd>{run.compute}</dd>
      <dt>Training time</dt>
      <dd>{formatDuration(budgetSeconds(run))} from submission</dd>
      {phases(run).length > 0 && (
        <>
          <dt>Time spent</dt>
          <dd data-testid="time-spent">{phases(run).map((p) => `${p.label} ${formatDuration(p.seconds)}`).join(" · ")}</dd>
        </>
      )}
      {searchEnd(run) && (
        <>
          <dt>Search ended</dt>
          <dd data-testid="search-end">{searchEnd(run)}</dd>
        </>
      )}
      {props.validation && (
        <>
          <dt>Validation</dt>
          <dd>{props.validation}</dd>
        </>
      )}
    </dl>
  );
}

/** Trials done (as the leaderboard lists them), best score so far and the budget left, counted from submission. */
function Progress({ run, trials }: { run: Job; trials: Job[] | undefined }) {
  const props = automlProperties(run);
  const budget = budgetSeconds(run);
  const left = secondsLeft(run);
  const done = trials ? trialsDone(trials) : props.trials_done ?? 0;
  const preparing = !isTerminal(run.status) && (trials?.length ?? 0) === 0;
  return (
    <section aria-labelledby="progress-heading" className="automl-progress">
      <h2 id="progress-heading" className="sr-only">
        Progress
      </h2>
      <div className="cards">
        <div className="stat">
          <span className="stat-value" data-testid="trials-done">
            {done}
          </span>
          <span className="stat-label">trials done{trials && trials.length > done ? ` (${trials.length - done} running)` : ""}</span>
        </div>
        <div className="stat">
          <span className="stat-value">{formatValue(props.best_score ?? null)}</span>
          <span className="stat-label">best {props.primary_metric}</span>
        </div>
        <div className="stat">
          <span className="stat-value">{isTerminal(run.status) ? "—" : formatDuration(left)}</span>
          <span className="stat-label">time left</span>
        </div>
      </div>
      {preparing && (
        <p className="muted" data-testid="preparing">
          {run.status === "Queued" ? "Queued" : "Starting the run and preparing the data"}: this time counts toward the budget; the first trial starts
          after it.
        </p>
      )}
      {!isTerminal(run.status) && budget > 0 && (
        <progress className="automl-bar" max={budget} value={Math.max(0, budget - left)} aria-label="Training time used" />
      )}
    </section>
  );
}
