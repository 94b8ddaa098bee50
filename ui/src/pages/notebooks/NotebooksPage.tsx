import { useRef } from "react";
import { Link } from "react-router";
import { useComputes } from "../../api/compute";
import { downloadNotebook, jupyterLabLink, useNotebookFiles, useUploadNotebook } from "../../api/notebooks";
import { ACTIONS_COLUMN, DataTable, type Column } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { ErrorMessage } from "../../components/Status";
import { formatDate } from "../../components/format";

const COLUMNS: Column[] = ["File", { label: "Size", className: "num" }, "Modified", ACTIONS_COLUMN];

/** /notebooks — the workspace's notebooks/ folder, shared by every compute instance: open in a running
 * instance's JupyterLab, download, upload. */
export default function NotebooksPage() {
  const files = useNotebookFiles();
  const computes = useComputes();
  const upload = useUploadNotebook();
  const picker = useRef<HTMLInputElement>(null);
  const lab = computes.data?.find((compute) => compute.type === "instance" && compute.url);

  return (
    <section>
      <PageTitle title="Notebooks">
        <button type="button" className="button primary" disabled={upload.isPending} onClick={() => picker.current?.click()}>
          {upload.isPending ? "Uploading…" : "Upload"}
        </button>
        <input
          ref={picker}
          type="file"
          hidden
          aria-label="Upload a notebook"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) upload.mutate(file);
            event.target.value = "";
          }}
        />
      </PageTitle>
      <p className="muted">
        {lab ? (
          <>
            Files open in JupyterLab on <strong>{lab.name}</strong>.
          </>
        ) : (
          <>
            Start a compute instance on the <Link to="/compute">Compute</Link> page to open these files in JupyterLab.
          </>
        )}
      </p>
      <ErrorMessage error={upload.error} title="Could not upload the file" />
      <QueryState query={files}>
        {(items) =>
          items.length === 0 ? (
            <p className="muted">No files yet: upload a notebook, or create one in JupyterLab.</p>
          ) : (
            <DataTable caption="Notebook files" columns={COLUMNS} className="table">
              {items.map((file) => (
                <tr key={file.path} data-notebook={file.path}>
                  <td className="mono">{file.path}</td>
                  <td className="num">{file.size.toLocaleString()} B</td>
                  <td>{formatDate(file.modified_at)}</td>
                  <td className="nowrap">
                    {lab?.url && (
                      <>
                        <a className="button small primary" href={jupyterLabLink(lab.url, file.path)} target="_blank" rel="noreferrer" aria-label={`Open ${file.path} in JupyterLab`}>
                          Open in JupyterLab
                        </a>{" "}
                      </>
                    )}
                    <button type="button" className="button small" onClick={() => void downloadNotebook(file.path)} aria-label={`Download ${file.path}`}>
                      Download
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </QueryState>
    </section>
  );
}
