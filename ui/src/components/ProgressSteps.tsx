import "./dialog.css";

export type StepState = "todo" | "active" | "done" | "failed";
export type ProgressStep = { key: string; label: string; state: StepState; detail?: string };

const MARKS: Record<StepState, string> = { done: "✓", failed: "✗", active: "…", todo: "○" };

/** The steps of a long piece of work, each to do, under way, done or failed. */
export function ProgressSteps({ label, steps }: { label: string; steps: ProgressStep[] }) {
  return (
    <ol className="progress-steps" aria-label={label}>
      {steps.map((s) => (
        <li key={s.key} className={s.state} aria-current={s.state === "active" ? "step" : undefined}>
          <span className="progress-mark" aria-hidden="true">
            {MARKS[s.state]}
          </span>{" "}
          {s.label}
          {s.detail && <span className="muted small"> — {s.detail}</span>}
        </li>
      ))}
    </ol>
  );
}
