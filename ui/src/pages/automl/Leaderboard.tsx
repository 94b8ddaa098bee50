import { Link } from "react-router";
import { shownStatus, type Job } from "../../api/jobs";
import { StatusBadge } from "../../components/StatusBadge";
import { formatValue } from "../../components/format";
import { formatDuration, jobDuration } from "../jobs/time";
import type { LeaderboardRow } from "./leaderboard";
import { trialPath } from "./paths";

/** A metric name that may wrap after its underscores, so the leaderboard fits a 1280 px window. */
function breakable(name: string) {
  return name.split("_").map((part, i, parts) => (
    <span key={i}>
      {part}
      {i < parts.length - 1 && (
        <>
          _<wbr />
        </>
      )}
    </span>
  ));
}

/** Trials ranked by the primary metric, the best marked; each links to its model page. */
export function Leaderboard({ run, rows, metrics }: { run: Job; rows: LeaderboardRow[]; metrics: string[] }) {
  const primary = String(run.properties?.primary_metric ?? "");
  if (rows.length === 0) return <p className="muted">No trials yet{run.status === "Queued" ? ": the run is queued" : ""}.</p>;
  return (
    <div className="table-scroll">
      <table className="table leaderboard" data-testid="leaderboard">
        <caption className="sr-only">Trials ranked by {primary}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">Rank</th>
            <th scope="col">Algorithm</th>
            <th scope="col" className="num">{breakable(primary)}</th>
            {metrics.map((m) => (
              <th key={m} scope="col" className="num">
                {breakable(m)}
              </th>
            ))}
            <th scope="col">Status</th>
            <th scope="col" className="num">Duration</th>
            <th scope="col">Trial</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ trial, rank, score, best }) => (
            <tr key={trial.name} className={best ? "best" : undefined} data-trial={trial.step ?? ""}>
              <td className="num">{rank}</td>
              <th scope="row">
                <Link to={trialPath(run.name, trial.step ?? "")}>{trial.display_name}</Link>
                {best && <span className="badge best-badge">Best</span>}
              </th>
              <td className="num">{formatValue(score)}</td>
              {metrics.map((m) => (
                <td key={m} className="num">
                  {formatValue(trial.metrics?.[m])}
                </td>
              ))}
              <td>
                <StatusBadge status={shownStatus(trial)} />
              </td>
              <td className="num">{formatDuration(jobDuration(trial))}</td>
              <td className="mono">{trial.step}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
