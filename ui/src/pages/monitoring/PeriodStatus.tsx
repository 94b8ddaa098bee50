import type { MonitorHistoryEntry } from "../../api/monitors";
import { StatusBadge } from "../../components/StatusBadge";

const LABELS: Record<string, string> = { passed: "Passed", failed: "Drift detected", no_production_data: "No production data" };

/** A period's outcome as a badge; the job's status while its run has not completed. */
export function PeriodStatus({ entry }: { entry: MonitorHistoryEntry }) {
  if (!entry.status) return <StatusBadge status={entry.job_status} />;
  const tone = entry.status === "passed" ? "ok" : entry.status === "failed" ? "warn" : "";
  return (
    <span className={`badge ${tone}`} data-status={entry.status}>
      {LABELS[entry.status] ?? entry.status}
    </span>
  );
}
