import { useState } from "react";
import { useDataPreview } from "../../api/data";
import { Options } from "../../components/Options";
import { PreviewTable } from "../../components/PreviewTable";
import { ErrorMessage, Loading } from "../../components/Status";

const PAGE_SIZES = [25, 50, 100];
const MAX_ROWS = 10_000; // what GET .../preview?rows= serves at most

/** Paged rows: page n needs the first n*size rows from the API's preview. */
export function Explore({ name, version }: { name: string; version: string }) {
  const [size, setSize] = useState(25);
  const [page, setPage] = useState(0);
  const wanted = Math.min((page + 1) * size, MAX_ROWS);
  const preview = useDataPreview(name, version, wanted);
  const rows = preview.data?.rows.slice(page * size, (page + 1) * size) ?? [];
  const exhausted = preview.data ? preview.data.rows.length < wanted || wanted >= MAX_ROWS : true;

  return (
    <div>
      <div className="toolbar">
        <label className="inline-field">
          Rows per page
          <select
            value={size}
            onChange={(e) => {
              setSize(Number(e.target.value));
              setPage(0);
            }}
          >
            <Options options={PAGE_SIZES} />
          </select>
        </label>
        <button type="button" className="button" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
          Previous page
        </button>
        <span aria-live="polite" data-testid="explore-range">
          {rows.length ? `Rows ${page * size + 1}–${page * size + rows.length}` : "No rows"}
        </span>
        <button type="button" className="button" disabled={exhausted || preview.isFetching} onClick={() => setPage((p) => p + 1)}>
          Next page
        </button>
        {preview.isFetching && <span className="muted small" role="status">loading…</span>}
      </div>
      <ErrorMessage error={preview.error} />
      {preview.isPending && <Loading />}
      {preview.data && (
        <PreviewTable columns={preview.data.columns} rows={rows} firstRow={page * size + 1} caption={`Rows of ${name}:${version}`} whole />
      )}
    </div>
  );
}
