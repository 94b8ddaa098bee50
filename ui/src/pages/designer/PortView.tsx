import { useEffect, useRef, useState } from "react";
import { usePortPage, type PortSpec } from "../../api/designer";
import { CodeBlock } from "../../components/CodeBlock";
import { KeyValues } from "../../components/KeyValues";
import { PreviewTable } from "../../components/PreviewTable";
import { ErrorMessage, Loading } from "../../components/Status";

export const PORT_PAGE_ROWS = 50;

/** An output port of a step after a run: a dataset as a paged table, other ports as their JSON summary. */
export function PortView({ job, port, onClose }: { job: string; port: PortSpec; onClose: () => void }) {
  const [offset, setOffset] = useState(0);
  const page = usePortPage(job, port.name, offset, PORT_PAGE_ROWS);
  const total = page.data?.total ?? 0;
  const shown = useRef<HTMLElement>(null);
  useEffect(() => {
    shown.current?.scrollIntoView({ block: "nearest" }); // Chromium answers a promise: no cleanup to return
  }, []);
  return (
    <section ref={shown} className="port-view card" aria-label={`Output ${port.display_name}`}>
      <div className="port-view-head">
        <h2>{port.display_name}</h2>
        {page.data?.rows && (
          <span className="muted" role="status">
            rows {total === 0 ? 0 : offset + 1}–{Math.min(offset + PORT_PAGE_ROWS, total)} of {total}, {page.data.columns?.length} columns
          </span>
        )}
        {page.data?.rows && (
          <span>
            <button type="button" className="button small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PORT_PAGE_ROWS))}>
              Previous
            </button>{" "}
            <button type="button" className="button small" disabled={offset + PORT_PAGE_ROWS >= total} onClick={() => setOffset(offset + PORT_PAGE_ROWS)}>
              Next
            </button>
          </span>
        )}
        <button type="button" className="button small ghost" onClick={onClose}>
          Close
        </button>
      </div>
      {page.isPending ? (
        <Loading what="Reading the output" />
      ) : page.error ? (
        <ErrorMessage error={page.error} />
      ) : page.data.rows ? (
        <PreviewTable columns={page.data.columns ?? []} rows={page.data.rows} caption={port.display_name} firstRow={offset + 1} />
      ) : (
        <>
          {evaluated(page.data.value).map(([side, metrics]) => (
            <KeyValues key={side} values={metrics} caption={`Metrics of the ${side} scored dataset`} empty="No metrics." />
          ))}
          <CodeBlock label={port.display_name} code={JSON.stringify(page.data.value, null, 2)} />
        </>
      )}
    </section>
  );
}

/** An Evaluate Model result's metrics tables: one per scored input (left, and right when two were compared). */
function evaluated(value: unknown): [string, Record<string, unknown>][] {
  const sides = (value ?? {}) as Record<string, { metrics?: Record<string, unknown> } | undefined>;
  return (["left", "right"] as const).flatMap((side) => (sides[side]?.metrics ? [[side, sides[side]!.metrics!] as [string, Record<string, unknown>]] : []));
}
