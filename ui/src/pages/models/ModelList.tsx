import { Link } from "react-router";
import { useModels } from "../../api/models";
import { DataTable } from "../../components/DataTable";
import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { formatDate } from "../../components/format";
import { Tags } from "./Tags";
import "./models.css";

export default function ModelList() {
  const models = useModels();
  return (
    <section>
      <PageTitle title="Models" />
      <QueryState
        query={models}
        empty={
          <>
            No models yet. Register one from a job's output or an MLflow run: <code>modelyard model create --name attrition --path runs:/&lt;run&gt;/model</code>.
          </>
        }
      >
        {(items) => (
          <DataTable caption="Registered models (latest versions)" columns={["Name", "Latest version", "Type", "Aliases", "Tags", "Created"]}>
            {items.map((model) => (
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
          </DataTable>
        )}
      </QueryState>
    </section>
  );
}
