import { Link } from "react-router";
import { useDataVersions, useSetArchived } from "../../api/data";
import { ACTIONS_COLUMN, DataTable } from "../../components/DataTable";
import { QueryState } from "../../components/QueryState";
import { formatBytes, formatDate } from "../../components/format";

export function Versions({ name, current }: { name: string; current: number }) {
  const versions = useDataVersions(name);
  const setArchived = useSetArchived(name);
  return (
    <div>
      <QueryState query={versions} error={setArchived.error}>
        {(items) => (
          <DataTable caption={`Versions of ${name}`} columns={["Version", "Created", { label: "Rows", className: "num" }, { label: "Size", className: "num" }, "Content hash", "State", ACTIONS_COLUMN]}>
            {items.map((v) => (
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
          </DataTable>
        )}
      </QueryState>
    </div>
  );
}
