import "./automl.css";
import { failureReason } from "./runState";

/** A failed run's reason on one line, the raw log it came from collapsed below. */
export function RunFailure({ error, title }: { error: string; title: string }) {
  const { reason, log } = failureReason(error);
  return (
    <div className="error run-failure" role="alert">
      <strong>{title}</strong>
      <span className="error-detail" data-testid="failure-reason">
        {reason}
      </span>
      {log && (
        <details>
          <summary>Log</summary>
          <pre className="log">{log}</pre>
        </details>
      )}
    </div>
  );
}
