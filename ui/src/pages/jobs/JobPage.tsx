import { Link, useParams } from "react-router";
import { isTerminal, shownStatus, useCancelJob, useJob } from "../../api/jobs";
import { ErrorMessage, Loading } from "../../components/Status";
import { Tabs, useTabParam } from "../../components/Tabs";
import { ChildJobs } from "./ChildJobs";
import { JobLogs } from "./JobLogs";
import { JobMetrics } from "./JobMetrics";
import { JobOutputs } from "./JobOutputs";
import { JobOverview } from "./JobOverview";
import { KeyValues } from "../../components/KeyValues";
import { LineageLink } from "../../components/LineageLink";
import { StatusBadge } from "../../components/StatusBadge";
import "./jobs.css";

const TABS = [
  { id: "overview", label: "Overview" },
  { id: "parameters", label: "Parameters" },
  { id: "metrics", label: "Metrics" },
  { id: "children", label: "Child jobs" },
  { id: "outputs", label: "Outputs" },
  { id: "logs", label: "Logs" },
] as const;

/** /jobs/:name — one job, refreshed while it runs. */
export default function JobPage() {
  const { name = "" } = useParams();
  const job = useJob(name);
  const cancel = useCancelJob();
  const [tab, select] = useTabParam(TABS);
  const data = job.data;
  const live = data ? !isTerminal(data.status) : false;
  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/jobs">Jobs</Link>
        {data && (
          <>
            {" / "}
            <Link to={`/jobs?experiment=${encodeURIComponent(data.experiment_name)}`}>{data.experiment_name}</Link>
          </>
        )}
        {data?.parent && (
          <>
            {" / "}
            <Link to={`/jobs/${encodeURIComponent(data.parent)}`}>{data.parent}</Link>
          </>
        )}
      </nav>
      <div className="page-title">
        <h1>
          {data?.display_name || name} {data && <StatusBadge status={shownStatus(data)} />}
        </h1>
        <LineageLink node={`job:${name}`} />
        {live && (
          <button type="button" className="button danger" disabled={cancel.isPending} onClick={() => cancel.mutate(name)}>
            {cancel.isPending ? "Canceling…" : "Cancel job"}
          </button>
        )}
      </div>
      <ErrorMessage error={job.error ?? cancel.error} />
      {job.isPending && <Loading />}
      {data && (
        <Tabs label="Job" tabs={TABS} current={tab} onSelect={select}>
          {tab === "overview" && <JobOverview job={data} />}
          {tab === "parameters" && <KeyValues values={data.parameters ?? {}} caption="Parameters" empty="No parameters were logged for this job." />}
          {tab === "metrics" && <JobMetrics job={data} />}
          {tab === "children" && <ChildJobs job={data} />}
          {tab === "outputs" && <JobOutputs job={data} />}
          {tab === "logs" && <JobLogs name={name} />}
        </Tabs>
      )}
    </section>
  );
}
