import { useState } from "react";
import { useSearchParams } from "react-router";
import { useDatastores, useDeleteDatastore } from "../../api/datastores";
import { ErrorMessage, Loading } from "../../components/Status";
import { formatDate } from "../../components/format";
import { CreateDatastoreForm } from "./CreateDatastoreForm";

export default function Datastores() {
  const datastores = useDatastores();
  const remove = useDeleteDatastore();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [search] = useSearchParams();
  const [creating, setCreating] = useState(search.has("new")); // /datastores?new opens the form (Home links here)

  return (
    <section>
      <div className="page-title">
        <h1>Datastores</h1>
        {!creating && (
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            Add datastore
          </button>
        )}
      </div>
      {creating && <CreateDatastoreForm onDone={() => setCreating(false)} />}
      <ErrorMessage error={datastores.error ?? remove.error} />
      {datastores.isPending && <Loading />}
      {datastores.data && (
        <div className="table-scroll">
          <table className="table">
            <caption className="sr-only">Datastores</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Settings</th>
                <th scope="col">Description</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {datastores.data.map((d) => (
                <tr key={d.name} data-datastore={d.name}>
                  <td>
                    {d.name} {d.is_default && <span className="badge">default</span>}
                  </td>
                  <td>{d.type}</td>
                  <td className="mono small break">
                    {Object.entries(d.config)
                      .filter(([, v]) => v !== null && v !== "" && v !== false)
                      .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
                      .join("  ")}
                  </td>
                  <td>{d.description ?? ""}</td>
                  <td>{d.is_default ? "—" : formatDate(d.created_at)}</td>
                  <td className="nowrap">
                    {d.is_default ? null : confirming === d.name ? (
                      <>
                        <button
                          type="button"
                          className="button danger small"
                          disabled={remove.isPending}
                          onClick={() => remove.mutate(d.name, { onSettled: () => setConfirming(null) })}
                        >
                          Delete {d.name}
                        </button>{" "}
                        <button type="button" className="button small" onClick={() => setConfirming(null)}>
                          Cancel
                        </button>
                      </>
                    ) : (
                      <button
                        type="button"
                        className="button small"
                        onClick={() => {
                          remove.reset();
                          setConfirming(d.name);
                        }}
                        aria-label={`Delete datastore ${d.name}`}
                      >
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
