import { Link } from "react-router";
import { useDataAssets } from "../../api/data";
import { ErrorMessage, Loading } from "../../components/Status";
import { formatBytes, formatDate } from "../../components/format";

export const TYPE_LABELS: Record<string, string> = { mltable: "Tabular", uri_file: "File", uri_folder: "Folder" };

export function DataList() {
  const assets = useDataAssets();
  return (
    <section>
      <div className="page-title">
        <h1>Data</h1>
        <Link className="button primary" to="/data/new">Create dataset</Link>
      </div>
      <ErrorMessage error={assets.error} />
      {assets.isPending && <Loading />}
      {assets.data && assets.data.length === 0 && (
        <p className="muted">No data assets yet. Create one from a local file, a datastore or a path on the server.</p>
      )}
      {assets.data && assets.data.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <caption className="sr-only">Data assets (latest versions)</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Version</th>
                <th scope="col">Type</th>
                <th scope="col" className="num">Rows</th>
                <th scope="col" className="num">Size</th>
                <th scope="col">Created</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {assets.data.map((asset) => (
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
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
