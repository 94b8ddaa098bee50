import { isTerminal, type ShownStatus } from "../api/jobs";
import "./status.css";

/** A job's status as a coloured pill; running states pulse so live work is easy to spot. */
export function StatusBadge({ status }: { status: ShownStatus }) {
  const tone =
    status === "Completed" || status === "Reused"
      ? "ok"
      : status === "Failed"
        ? "failed"
        : status === "Canceled" || status === "EarlyTerminated"
          ? "canceled"
          : isTerminal(status)
            ? ""
            : "active";
  return <span className={`job-status ${tone}`}>{status}</span>;
}

/** A provisioning state (an endpoint's or a deployment's) as a badge: Succeeded is ok, Failed a warning. */
export function StateBadge({ state }: { state: string }) {
  const tone = state === "Succeeded" ? "ok" : state === "Failed" ? "warn" : "";
  return <span className={`badge ${tone}`}>{state}</span>;
}
