import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { JOB_PAGE_SIZE, shownStatus, useJobPages, type Job, type JobFilter } from "../../api/jobs";
import { ErrorMessage } from "../../components/Status";
import { formatDate } from "../../components/format";
import { itemAt, pagesFor } from "./paging";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDuration, jobDuration } from "./time";

const ROW_HEIGHT = 36;
const COLUMNS = 8;

type Props = { filter: JobFilter; selected: ReadonlySet<string>; onToggle: (name: string) => void };

/**
 * The filtered jobs, newest first: only the rows in view are rendered, and only the pages of 100 they
 * fall in are fetched, so ten thousand jobs scroll as smoothly as ten. Mount it with `key` = the filter.
 */
export function JobsTable({ filter, selected, onToggle }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [total, setTotal] = useState<number>();
  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const rows = virtualizer.getVirtualItems();
  const pages = pagesFor(rows[0]?.index ?? 0, rows.at(-1)?.index ?? 0, JOB_PAGE_SIZE, total);
  // A fast scroll passes many pages: fetch only the ones it stops on (cached pages still show meanwhile).
  const results = useJobPages(filter, pages, !virtualizer.isScrolling);
  const loaded = new Map<number, Job[]>();
  results.forEach((result, i) => result.data && loaded.set(pages[i], result.data.items));
  const latestTotal = results.find((result) => result.data)?.data?.total;
  useEffect(() => {
    if (latestTotal !== undefined) setTotal(latestTotal);
  }, [latestTotal]);
  const error = results.find((result) => result.error)?.error;

  const before = rows[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (rows.at(-1)?.end ?? 0);
  return (
    <>
      <p className="muted jobs-count" role="status" aria-live="polite">
        {total === undefined ? "Loading jobs…" : `${total.toLocaleString("en-US")} job${total === 1 ? "" : "s"}`}
      </p>
      <ErrorMessage error={error} />
      <div className="table-scroll jobs-scroll" ref={scroller} data-testid="jobs-scroll">
        <table className="table compact jobs-table" aria-rowcount={(total ?? 0) + 1}>
          <caption className="sr-only">Jobs, newest first</caption>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">
                <span className="sr-only">Select</span>
              </th>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Experiment</th>
              <th scope="col">Type</th>
              <th scope="col">Compute</th>
              <th scope="col">Created</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {before > 0 && <tr aria-hidden="true" style={{ height: before }} />}
            {rows.map((row) => {
              const job = itemAt(row.index, JOB_PAGE_SIZE, loaded);
              return job ? (
                <JobRow key={job.name} job={job} index={row.index} checked={selected.has(job.name)} onToggle={onToggle} />
              ) : (
                <tr key={`loading-${row.index}`} aria-rowindex={row.index + 2} aria-busy="true" style={{ height: ROW_HEIGHT }}>
                  <td colSpan={COLUMNS} className="muted">
                    …
                  </td>
                </tr>
              );
            })}
            {after > 0 && <tr aria-hidden="true" style={{ height: after }} />}
          </tbody>
        </table>
        {total === 0 && <p className="muted empty-jobs">No jobs match. Submit one with <code>modelyard job create -f job.yml</code>.</p>}
      </div>
    </>
  );
}

function JobRow({ job, index, checked, onToggle }: { job: Job; index: number; checked: boolean; onToggle: (name: string) => void }) {
  const title = job.display_name || job.name;
  return (
    <tr aria-rowindex={index + 2} data-job={job.name} style={{ height: ROW_HEIGHT }}>
      <td>
        <input type="checkbox" checked={checked} onChange={() => onToggle(job.name)} aria-label={`Select ${job.name}`} />
      </td>
      <td className="truncate" title={job.name}>
        <Link to={`/jobs/${encodeURIComponent(job.name)}`}>{title}</Link>
        {title !== job.name && <span className="muted small"> {job.name}</span>}
      </td>
      <td>
        <StatusBadge status={shownStatus(job)} />
      </td>
      <td className="truncate">{job.experiment_name}</td>
      <td>{job.type}</td>
      <td>{job.compute ?? "—"}</td>
      <td>{formatDate(job.created_at)}</td>
      <td className="num">{formatDuration(jobDuration(job))}</td>
    </tr>
  );
}
