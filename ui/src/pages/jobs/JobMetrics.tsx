import { isTerminal, useMetricHistory, type Job } from "../../api/jobs";
import { ErrorMessage, Loading } from "../../components/Status";
import { formatValue } from "../../components/format";
import { overlay } from "./compare";
import { MetricChart } from "./MetricChart";

/** Each metric's history as a line chart, refreshed while the job runs; the latest values above. */
export function JobMetrics({ job }: { job: Job }) {
  const live = !isTerminal(job.status);
  const history = useMetricHistory(job.name, live);
  if (history.isPending) return <Loading what="Loading metrics" />;
  if (history.error) return <ErrorMessage error={history.error} />;
  const charts = overlay([{ run: job.name, history: history.data }]);
  const names = Object.keys(charts);
  if (names.length === 0) {
    return <p className="muted">{live ? "No metrics yet; they appear here as the job logs them." : "This job logged no metrics."}</p>;
  }
  return (
    <>
      <p className="muted small">
        {names.map((metric) => `${metric} = ${formatValue(history.data[metric].at(-1)?.value)}`).join(" · ")}
        {live && " (updating)"}
      </p>
      <div className="charts">
        {names.map((metric) => (
          <MetricChart key={metric} metric={metric} points={charts[metric]} runs={[job.name]} />
        ))}
      </div>
    </>
  );
}
