import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { useMonitor, useMonitorHistory, useMonitorRun, type SignalResult } from "../../api/monitors";
import { DataTable } from "../../components/DataTable";
import { formatDate, formatValue } from "../../components/format";
import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { ErrorMessage, Loading } from "../../components/Status";
import { DistributionChart } from "./DistributionChart";
import { MetricTrendCharts } from "./MetricTrendCharts";
import { defaultPeriod, describeFailed, latestCompletedJob, metricLabel, metricTrends, rankedFeatures, smallMultiples, statusPoints } from "./monitoring";
import { PeriodStatus } from "./PeriodStatus";
import { SmallMultiples } from "./SmallMultiples";
import { StatusChart } from "./StatusChart";
import "./monitoring.css";

const MULTIPLES = 12; // the most drifted features drawn as tiny histograms above a signal's table

export default function MonitorPage() {
  const { name = "" } = useParams();
  const monitor = useMonitor(name);
  const history = useMonitorHistory(name);
  const [search, setSearch] = useSearchParams();
  const picked = search.get("run") ?? latestCompletedJob(history.data ?? []);
  const pick = (job: string) => setSearch({ run: job }, { replace: true });
  return (
    <section>
      <PageTitle title={`Monitor ${name}`} />
      <ErrorMessage error={monitor.error} />
      {monitor.data?.description && <p>{monitor.data.description}</p>}
      <h2>Run history</h2>
      <QueryState query={history} empty={<>No runs yet: <code>modelyard monitor run {name} --wait</code> runs it now.</>}>
        {(entries) => (
          <>
            <StatusChart points={statusPoints(entries)} onPick={pick} />
            <MetricTrendCharts trends={metricTrends(entries)} onPick={pick} />
            <DataTable caption="Run history" columns={["Run", "Window start", "Window end", "Status", "Failed features", ""]} testId="history">
              {entries.map((entry, i) => (
                <tr key={`${entry.job}-${i}`} className={entry.job === picked ? "selected" : undefined}>
                  <td>
                    <Link to={`/jobs/${encodeURIComponent(entry.job)}`} className="mono">
                      {entry.job}
                    </Link>
                  </td>
                  <td>{formatDate(entry.window_start)}</td>
                  <td>{formatDate(entry.window_end)}</td>
                  <td>
                    <PeriodStatus entry={entry} />
                  </td>
                  <td>
                    {describeFailed(entry.failed_features) || (entry.message && !entry.status ? entry.message : "—")}
                  </td>
                  <td>
                    {entry.job_status === "Completed" && entry.job !== picked && (
                      <button type="button" className="button ghost small" onClick={() => pick(entry.job)}>
                        Show
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          </>
        )}
      </QueryState>
      {picked && <RunResult name={name} job={picked} />}
    </section>
  );
}

/** One run's result: per period and signal, the features ranked by drift and one feature's distributions. */
function RunResult({ name, job }: { name: string; job: string }) {
  const run = useMonitorRun(name, job);
  const [periodIndex, setPeriodIndex] = useState<number | null>(null);
  if (run.isPending) return <Loading />;
  if (run.error || !run.data) return <ErrorMessage error={run.error} />;
  const periods = run.data.periods;
  const index = periodIndex ?? defaultPeriod(periods);
  const period = periods[index];
  return (
    <section aria-label={`Run ${job}`} data-testid="run-result">
      <h2>
        Run <span className="mono">{job}</span>
      </h2>
      {periods.length > 1 && (
        <label className="field-inline">
          Period{" "}
          <select value={index} onChange={(event) => setPeriodIndex(Number(event.target.value))}>
            {periods.map((p, i) => (
              <option key={i} value={i}>
                {formatDate(p.window_start)} – {formatDate(p.window_end)} ({p.status})
              </option>
            ))}
          </select>
        </label>
      )}
      {period &&
        Object.entries(period.signals).map(([signalName, signal]) => <SignalView key={`${index}-${signalName}`} name={signalName} signal={signal} />)}
    </section>
  );
}

function SignalView({ name, signal }: { name: string; signal: SignalResult }) {
  const rows = rankedFeatures(signal);
  const [chosen, setChosen] = useState<string | undefined>(rows[0]?.feature);
  const feature = rows.find((r) => r.feature === chosen)?.result;
  return (
    <section className="signal card" data-signal={name}>
      <h3>
        {name} <span className="muted small">({signal.signal_type})</span>
      </h3>
      <p className={signal.status === "failed" ? "warn-text" : "muted"}>
        {signal.message} · {signal.production_rows} production rows vs {signal.reference_rows} reference rows
      </p>
      {rows.length > 0 && <SmallMultiples rows={smallMultiples(rows, MULTIPLES)} chosen={chosen} onChoose={setChosen} />}
      {rows.length > 0 && (
        <div className="signal-grid">
          <DataTable caption={`Features of ${name}, most drifted first`} columns={["Feature", "Type", "Metric", { label: "Value", className: "num" }, { label: "Threshold", className: "num" }, "Result"]} testId={`features-${name}`}>
            {rows.map((row) => (
              <tr key={row.feature} className={row.feature === chosen ? "selected" : undefined}>
                <td>
                  <button type="button" className="link-button" onClick={() => setChosen(row.feature)} aria-pressed={row.feature === chosen}>
                    {row.feature}
                  </button>
                </td>
                <td>{row.columnType}</td>
                <td>{row.metric ? metricLabel(row.metric.metric) : "—"}</td>
                <td className="num">{formatValue(row.metric?.value)}</td>
                <td className="num">{formatValue(row.metric?.threshold)}</td>
                <td>
                  <span className={`badge ${row.passed === false ? "warn" : row.passed ? "ok" : ""}`}>
                    {row.passed === false ? "drift" : row.passed ? "passed" : "not checked"}
                  </span>
                </td>
              </tr>
            ))}
          </DataTable>
          {feature && <DistributionChart feature={feature} />}
        </div>
      )}
    </section>
  );
}
