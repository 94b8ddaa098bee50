import { useState } from "react";
import { Link, useParams } from "react-router";
import { automlProperties, useTrialCharts } from "../../api/automl";
import { isTerminal, shownStatus, useChildJobs, useJob } from "../../api/jobs";
import { ErrorMessage, Loading } from "../../components/Status";
import { formatValue } from "../../components/format";
import { KeyValues } from "../../components/KeyValues";
import { StatusBadge } from "../../components/StatusBadge";
import { Tabs, useTabParam } from "../../components/Tabs";
import { formatDuration, jobDuration } from "../jobs/time";
import { DeployDialog } from "./DeployDialog";
import { type EnsembleMember, EnsembleMembers } from "./EnsembleMembers";
import { TrialCharts } from "./charts/TrialCharts";
import { isTrialCharts } from "./charts/chartData";
import { runPath } from "./paths";
import { RunFailure } from "./RunFailure";
import { stoppedSentence } from "./runState";
import { TrialExplanationTab } from "./TrialExplanationTab";
import "./automl.css";

const TABS = [
  { id: "overview", label: "Overview" },
  { id: "explanation", label: "Explanations" },
] as const;

/** One trial's model: all its metrics, hyperparameters and evaluation charts, its explanation; deploy it. */
export default function TrialPage() {
  const params = useParams();
  const runName = params.name ?? "";
  const step = params.trial ?? "";
  const run = useJob(runName);
  const trials = useChildJobs(runName, !run.data || !isTerminal(run.data.status));
  const listed = trials.data?.find((t) => t.step === step);
  const trial = useJob(listed?.name ?? "");
  const scored = trial.data !== undefined && isTerminal(trial.data.status);
  const status = trial.data ? shownStatus(trial.data) : undefined;
  // only a trial that ran to the end is scored on every fold and logs charts.json
  const charts = useTrialCharts(listed?.name ?? "", scored && status === "Completed");
  const [deploying, setDeploying] = useState(false);
  const [tab, setTab] = useTabParam(TABS);

  if (run.isError) return <ErrorMessage error={run.error} />;
  if (trials.isError) return <ErrorMessage error={trials.error} />;
  if (run.isPending || trials.isPending) return <Loading />;
  if (!listed) return <ErrorMessage error={new Error(`run ${runName} has no trial ${step}`)} title="Trial not found" />;
  if (trial.isPending) return <Loading />;
  if (trial.isError) return <ErrorMessage error={trial.error} />;

  const job = trial.data;
  const props = automlProperties(run.data);
  const trialProps = job.properties ?? {};
  const isBest = props.best_child_job === job.name;
  const loggedUri = typeof trialProps.model_uri === "string" ? trialProps.model_uri : isBest ? props.best_model_uri : undefined;
  // a trial without a logged model is refit on deploy, which the server allows once the AutoML run has ended
  const canDeploy = status === "Completed" && (Boolean(loggedUri) || isTerminal(run.data.status));
  const stopped = status === "EarlyTerminated";
  const hyperparameters = job.spec.type === "trial" ? job.spec.params ?? {} : {};
  const members = Array.isArray(trialProps.members) ? (trialProps.members as EnsembleMember[]) : [];

  return (
    <section className="automl-trial">
      <p className="breadcrumb">
        <Link to="/automl">Automated ML</Link> / <Link to={runPath(runName)}>{run.data.display_name || runName}</Link> / {step}
      </p>
      <div className="page-title">
        <h1>
          {job.display_name} <span className="muted">({step})</span> <StatusBadge status={status ?? job.status} /> {isBest && <span className="badge best-badge">Best</span>}
        </h1>
        {status === "Completed" && (
          <button type="button" className="button primary" disabled={!canDeploy} onClick={() => setDeploying(true)}>
            Deploy this model
          </button>
        )}
      </div>
      {!canDeploy && status === "Completed" && (
        <p className="hint">
          The models are logged (or refit on demand) once the AutoML run has ended.
        </p>
      )}
      {job.error && !stopped && <RunFailure error={job.error} title="The trial failed" />}
      <dl className="details automl-summary">
        <dt>{props.primary_metric}</dt>
        <dd>{formatValue(trialProps.score)}</dd>
        <dt>Featurization</dt>
        <dd>{String(trialProps.featurization ?? "—")}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(jobDuration(job))}</dd>
        <dt>Status</dt>
        <dd>{status}</dd>
      </dl>

      <Tabs label="Trial" tabs={TABS} current={tab} onSelect={setTab}>
        {tab === "overview" ? (
          <>
            <div className="trial-tables">
              <section aria-labelledby="metrics-heading">
                <h2 id="metrics-heading">Metrics</h2>
                <KeyValues values={job.metrics ?? {}} caption="Metrics" empty="No metrics yet." />
              </section>
              <section aria-labelledby="params-heading">
                <h2 id="params-heading">Hyperparameters</h2>
                {members.length > 0 ? (
                  <EnsembleMembers runName={runName} members={members} settings={hyperparameters} />
                ) : (
                  <KeyValues values={hyperparameters} caption="Hyperparameters" empty="Default settings." />
                )}
              </section>
            </div>

            <section aria-labelledby="charts-heading">
              <h2 id="charts-heading">Charts</h2>
              <ErrorMessage error={charts.error} title="Cannot read charts.json" />
              {!scored && <p className="muted">The charts appear when the trial has been scored.</p>}
              {scored && status !== "Completed" && (
                <p className="muted" data-testid="no-charts">
                  {stopped ? stoppedSentence(typeof trialProps.stopped_because === "string" ? trialProps.stopped_because : job.error) : "This trial has no charts: it did not finish."}
                </p>
              )}
              {charts.isFetching && !charts.data && <Loading what="Loading charts" />}
              {charts.data !== undefined && (isTrialCharts(charts.data) ? <TrialCharts charts={charts.data} /> : <p className="muted">charts.json has no charts this studio can draw.</p>)}
            </section>
          </>
        ) : (
          <TrialExplanationTab trial={job.name} facts={{ completed: status === "Completed", runEnded: isTerminal(run.data.status), hasModel: Boolean(loggedUri) }} />
        )}
      </Tabs>
      {deploying && (
        <DeployDialog source={{ trial: job.name, modelUri: loggedUri ?? null }} title={`${job.display_name} (${job.step})`} suggestedName={`${run.data.experiment_name}-${job.display_name ?? step}`} onClose={() => setDeploying(false)} />
      )}
    </section>
  );
}
