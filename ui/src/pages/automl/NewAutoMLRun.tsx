import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { useAutoMLOptions, useSubmitAutoML } from "../../api/automl";
import { ConfigStep } from "./wizard/ConfigStep";
import { DatasetStep } from "./wizard/DatasetStep";
import { RunStep } from "./wizard/RunStep";
import { TaskStep } from "./wizard/TaskStep";
import { buildJobDocument, initialState, type AutoMLWizardState } from "./wizard/jobDocument";
import "./automl.css";

export type Update = (change: (state: AutoMLWizardState) => AutoMLWizardState) => void;
export type StepProps = { state: AutoMLWizardState; update: Update; onNext: () => void; onBack: () => void };

const STEPS = ["Select dataset", "Configure run", "Task type", "Additional configuration"] as const;

/** "New Automated ML run": dataset -> experiment, target and compute -> task -> settings; submits the automl job. */
export default function NewAutoMLRun() {
  const [state, setState] = useState<AutoMLWizardState>(initialState);
  const [step, setStep] = useState(0);
  const submit = useSubmitAutoML();
  const options = useAutoMLOptions();
  const navigate = useNavigate();
  const update: Update = (change) => setState(change);
  const props: StepProps = {
    state,
    update,
    onNext: () => setStep((s) => Math.min(s + 1, STEPS.length - 1)),
    onBack: () => setStep((s) => Math.max(s - 1, 0)),
  };
  const onSubmit = () => {
    const document = buildJobDocument(state, options.data?.min_timeout_minutes);
    if (document) submit.mutate(document, { onSuccess: (job) => navigate(`/automl/runs/${encodeURIComponent(job.name)}`) });
  };

  return (
    <section className="wizard">
      <div className="page-title">
        <h1>New Automated ML run</h1>
        <Link to="/automl">Cancel</Link>
      </div>
      <ol className="steps" aria-label="Steps">
        {STEPS.map((label, i) => (
          <li key={label} aria-current={i === step ? "step" : undefined} className={i < step ? "done" : undefined}>
            <span className="step-number">{i + 1}</span> {label}
          </li>
        ))}
      </ol>
      <div className="wizard-body">
        {step === 0 && <DatasetStep {...props} />}
        {step === 1 && <RunStep {...props} />}
        {step === 2 && <TaskStep {...props} />}
        {step === 3 && <ConfigStep {...props} onSubmit={onSubmit} submitting={submit.isPending} error={submit.error} />}
      </div>
    </section>
  );
}
