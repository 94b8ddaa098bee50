/** Back / Next (or the final submit) at the foot of a wizard step; Next is a submit button of the step's form. */
export function StepActions({ onBack, ready, label = "Next" }: { onBack?: () => void; ready: boolean; label?: string }) {
  return (
    <div className="actions">
      {onBack && (
        <button type="button" className="button" onClick={onBack}>
          Back
        </button>
      )}
      <button type="submit" className="button primary" disabled={!ready}>
        {label}
      </button>
    </div>
  );
}
