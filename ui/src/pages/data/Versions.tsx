import { Link } from "react-router";
import { useDataVersions, useSetArchived } from "../../api/data";
import { ErrorMessage, Loading } from "../../components/Status";
import { formatBytes, formatDate } from "../../components/format";

export function Versions({ name, current }: { name: string; current: number }) {
  const versions = useDataVersions(name);
  const setArchived = useSetArchived(name);
  return (
    <div>
      <ErrorMessage error={versions.error ?? setArchived.error} />
      {versions.isPending && <Loading />}
      {versions.data && (
        <div className="table-scroll">
          <table className="table">
            <caption className="sr-only">Versions of {name}</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Created</th>
                <th scope="col" className="num">Rows</th>
                <th scope="col" className="num">Size</th>
                <th scope="col">Content hash</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.data.map((v) => (
                <tr key={v.version} aria-current={v.version === current ? "true" : undefined}>
                  <td>
                    <Link to={`/data/${encodeURIComponent(name)}/${v.version}`}>{v.version}</Link>
                    {v.version === current && <span className="muted small"> (shown)</span>}
                  </td>
                  <td>{formatDate(v.created_at)}</td>
                  <td className="num">{v.rows?.toLocaleString("en-US") ?? "—"}</td>
                  <td className="num">{formatBytes(v.size_bytes)}</td>
                  <td className="mono" title={v.content_hash}>{v.content_hash.slice(0, 12)}</td>
                  <td>{v.archived ? <span className="badge warn">archived</span> : "active"}</td>
                  <td>
                    <button
                      type="button"
                      className="button small"
                      disabled={setArchived.isPending}
                      onClick={() => setArchived.mutate({ version: v.version, archived: !v.archived })}
                    >
                      {v.archived ? `Restore version ${v.version}` : `Archive version ${v.version}`}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
