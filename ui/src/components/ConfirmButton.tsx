import { useState } from "react";

/** A destructive action asked twice, in place (no browser dialog): "Delete blue" → "Delete blue? Yes, delete / Cancel". */
export function ConfirmButton({ label, question, onConfirm, disabled }: { label: string; question: string; onConfirm: () => void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button danger small" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="inline-field" role="group" aria-label={question}>
      <span>{question}</span>
      <button
        type="button"
        className="button danger small"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Yes, {label.charAt(0).toLowerCase() + label.slice(1)}
      </button>
      <button type="button" className="button ghost small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
