// Loaded on demand: the metric charts carry the chart library.
import { useEffect, useRef } from "react";
import { Link } from "react-router";
import { shownStatus, type Job } from "../../api/jobs";
import { StatusBadge } from "../../components/StatusBadge";
import { Tabs } from "../../components/Tabs";
import { JobLogs } from "../jobs/JobLogs";
import { JobMetrics } from "../jobs/JobMetrics";
import "../jobs/jobs.css";

export type StepTab = "logs" | "metrics";
const TABS = [
  { id: "logs", label: "Logs" },
  { id: "metrics", label: "Metrics" },
] as const;

type Props = { step: Job; title: string; tab: StepTab; onTab: (tab: StepTab) => void; onClose: () => void };

/** A side drawer over the canvas: one step job's log tail (live while it runs) and its metrics. */
export default function StepDrawer({ step, title, tab, onTab, onClose }: Props) {
  const drawer = useRef<HTMLElement>(null);
  useEffect(() => {
    const escape = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    window.addEventListener("keydown", escape);
    return () => window.removeEventListener("keydown", escape);
  }, [onClose]);
  return (
    <aside ref={drawer} className="step-drawer card" aria-label={`Step ${title}`}>
      <div className="port-view-head">
        <h2>
          {title} <StatusBadge status={shownStatus(step)} />
        </h2>
        <Link to={`/jobs/${encodeURIComponent(step.name)}`} className="small">
          {step.name}
        </Link>
        <button type="button" className="button small ghost" onClick={onClose}>
          Close
        </button>
      </div>
      <Tabs label="Step" tabs={TABS} current={tab} onSelect={(id) => onTab(id as StepTab)}>
        {tab === "logs" ? <JobLogs name={step.name} /> : <JobMetrics job={step} />}
      </Tabs>
    </aside>
  );
}
