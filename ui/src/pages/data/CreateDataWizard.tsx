import { useState } from "react";
import { Link } from "react-router";
import { useDatastores, type Datastore } from "../../api/datastores";
import { BasicsStep } from "./wizard/BasicsStep";
import { ConfirmStep } from "./wizard/ConfirmStep";
import { SchemaStep } from "./wizard/SchemaStep";
import { SettingsStep } from "./wizard/SettingsStep";
import { initialState, type WizardState } from "./wizard/state";

export type Update = (change: (state: WizardState) => WizardState) => void;

/** What a step gets: the wizard's state and its updater, the datastores, and the moves to the next and the previous step. */
export interface StepProps {
  state: WizardState;
  update: Update;
  datastores: Datastore[] | undefined;
  onNext: () => void;
  onBack: () => void;
}

const TABULAR_STEPS = ["Basic info and source", "Settings and preview", "Schema", "Confirm"] as const;
const FILE_STEPS = ["Basic info and source", "Confirm"] as const;

/** "Create dataset": basic info and source -> settings and live preview -> schema -> confirm. */
export default function CreateDataWizard() {
  const [state, setState] = useState<WizardState>(initialState);
  const [step, setStep] = useState(0);
  const datastores = useDatastores();
  const steps: readonly string[] = state.type === "mltable" ? TABULAR_STEPS : FILE_STEPS;
  const current = steps[Math.min(step, steps.length - 1)];
  const update: Update = (change) => setState(change);
  const next = () => setStep((s) => Math.min(s + 1, steps.length - 1));
  const back = () => setStep((s) => Math.max(s - 1, 0));

  return (
    <section className="wizard">
      <div className="page-title">
        <h1>Create dataset</h1>
        <Link to="/data">Cancel</Link>
      </div>
      <ol className="steps" aria-label="Steps">
        {steps.map((label, i) => (
          <li key={label} aria-current={i === step ? "step" : undefined} className={i < step ? "done" : undefined}>
            <span className="step-number">{i + 1}</span> {label}
          </li>
        ))}
      </ol>
      <div className="wizard-body">
        {current === "Basic info and source" && (
          <BasicsStep state={state} update={update} datastores={datastores.data} onNext={next} />
        )}
        {current === "Settings and preview" && (
          <SettingsStep state={state} update={update} datastores={datastores.data} onNext={next} onBack={back} />
        )}
        {current === "Schema" && (
          <SchemaStep state={state} update={update} datastores={datastores.data} onNext={next} onBack={back} />
        )}
        {current === "Confirm" && (
          <ConfirmStep state={state} update={update} datastores={datastores.data} onBack={back} />
        )}
      </div>
    </section>
  );
}
