import { Link } from "react-router";
import { useDataAssets } from "../../api/data";
import { DataTable } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { formatBytes, formatDate } from "../../components/format";

export const TYPE_LABELS: Record<string, string> = { mltable: "Tabular", uri_file: "File", uri_folder: "Folder" };

export function DataList() {
  const assets = useDataAssets();
  return (
    <section>
      <PageTitle title="Data">
        <Link className="button primary" to="/data/new">Create dataset</Link>
      </PageTitle>
      <QueryState query={assets} empty="No data assets yet. Create one from a local file, a datastore or a path on the server.">
        {(items) => (
          <DataTable caption="Data assets (latest versions)" columns={["Name", "Version", "Type", { label: "Rows", className: "num" }, { label: "Size", className: "num" }, "Created", "Description"]}>
            {items.map((asset) => (
              <tr key={asset.name}>
                <td>
                  <Link to={`/data/${encodeURIComponent(asset.name)}/${asset.version}`}>{asset.name}</Link>
                </td>
                <td>{asset.version}</td>
                <td>{TYPE_LABELS[asset.type] ?? asset.type}</td>
                <td className="num">{asset.rows?.toLocaleString("en-US") ?? "—"}</td>
                <td className="num">{formatBytes(asset.size_bytes)}</td>
                <td>{formatDate(asset.created_at)}</td>
                <td className="truncate">{asset.description ?? ""}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
    </section>
  );
}
