import { Link } from "react-router";
import { useModels } from "../../api/models";
import { ErrorMessage, Loading } from "../../components/Status";
import { formatDate } from "../../components/format";
import { Tags } from "./Tags";
import "./models.css";

export default function ModelList() {
  const models = useModels();
  return (
    <section>
      <div className="page-title">
        <h1>Models</h1>
      </div>
      <ErrorMessage error={models.error} />
      {models.isPending && <Loading />}
      {models.data && models.data.length === 0 && (
        <p className="muted">
          No models yet. Register one from a job's output or an MLflow run: <code>modelyard model create --name attrition --path runs:/&lt;run&gt;/model</code>.
        </p>
      )}
      {models.data && models.data.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <caption className="sr-only">Registered models (latest versions)</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Latest version</th>
                <th scope="col">Type</th>
                <th scope="col">Aliases</th>
                <th scope="col">Tags</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {models.data.map((model) => (
                <tr key={model.name}>
                  <td>
                    <Link to={`/models/${encodeURIComponent(model.name)}/${model.version}`}>{model.name}</Link>
                  </td>
                  <td>{model.version}</td>
                  <td>{model.type === "mlflow_model" ? "MLflow" : "Custom"}</td>
                  <td>{(model.aliases ?? []).map((a) => `@${a}`).join(", ") || "—"}</td>
                  <td>
                    <Tags tags={model.tags} />
                  </td>
                  <td>{formatDate(model.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
