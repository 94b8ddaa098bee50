import type { FormEvent } from "react";
import { useAutoMLOptions, type Task } from "../../../api/automl";
import type { StepProps } from "../NewAutoMLRun";
import { StepActions } from "../../../components/StepActions";
import { withTask } from "./jobDocument";

const TASKS: { value: Task; label: string; hint: string }[] = [
  { value: "classification", label: "Classification", hint: "predict one of a set of classes (Yes / No)" },
  { value: "regression", label: "Regression", hint: "predict a number" },
];

/** (3) Classification or regression. */
export function TaskStep({ state, update, onNext, onBack }: StepProps) {
  const options = useAutoMLOptions();
  const choose = (task: Task) => update((s) => withTask(s, task, options.data?.tasks[task].default_metric ?? ""));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    choose(state.task); // the task's default metric, when none is chosen yet
    onNext();
  };
  return (
    <form onSubmit={submit} className="form" aria-label="Task type">
      <fieldset>
        <legend>Task type</legend>
        <div className="radio-row" role="radiogroup" aria-label="Task type">
          {TASKS.map((task) => (
            <label key={task.value} className="radio">
              <input type="radio" name="task" value={task.value} checked={state.task === task.value} onChange={() => choose(task.value)} />
              {task.label} <small className="hint">{task.hint}</small>
            </label>
          ))}
        </div>
      </fieldset>
      <StepActions onBack={onBack} ready={options.isSuccess} />
    </form>
  );
}
