import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { usePortPage, type PortSpec } from "../../api/designer";
import { CodeBlock } from "../../components/CodeBlock";
import { PreviewTable } from "../../components/PreviewTable";
import { ErrorMessage, Loading } from "../../components/Status";
import { KeyValues } from "../../components/KeyValues";
import { evaluatedSides, isBinary } from "./evaluation";

// The charts carry the chart library: their own chunk, loaded when an evaluation is shown.
const BinaryCharts = lazy(() => import("./EvaluationView"));
const PortProfile = lazy(() => import("./PortProfile"));

export const PORT_PAGE_ROWS = 50;

/** An output port of a step after a run: a dataset as a paged table, other ports as their JSON summary. */
export function PortView({ job, port, onClose }: { job: string; port: PortSpec; onClose: () => void }) {
  const [offset, setOffset] = useState(0);
  const [profiled, setProfiled] = useState(false);
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
        {page.data?.rows && (
          <button type="button" className="button small" aria-pressed={profiled} onClick={() => setProfiled(!profiled)}>
            Column statistics
          </button>
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
        <>
          {profiled && (
            <Suspense fallback={<Loading what="Loading the column statistics" />}>
              <PortProfile job={job} port={port.name} />
            </Suspense>
          )}
          <PreviewTable columns={page.data.columns ?? []} rows={page.data.rows} caption={port.display_name} firstRow={offset + 1} />
        </>
      ) : evaluatedSides(page.data.value).length ? (
        evaluatedSides(page.data.value).map(([side, evaluation]) => (
          <section key={side} className="evaluation" aria-label={`Evaluation of the ${side} scored dataset`}>
            <KeyValues values={evaluation.metrics ?? {}} caption={`Metrics of the ${side} scored dataset`} empty="No metrics." />
            {isBinary(evaluation) && (
              <Suspense fallback={<Loading what="Drawing the curves" />}>
                <BinaryCharts evaluation={evaluation} />
              </Suspense>
            )}
          </section>
        ))
      ) : (
        <CodeBlock label={port.display_name} code={JSON.stringify(page.data.value, null, 2)} />
      )}
    </section>
  );
}
