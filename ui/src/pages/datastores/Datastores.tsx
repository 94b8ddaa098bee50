import { useDatastores, useDeleteDatastore } from "../../api/datastores";
import { ConfirmDelete, useDeleteConfirmation } from "../../components/ConfirmDelete";
import { ACTIONS_COLUMN, DataTable } from "../../components/DataTable";
import { PageTitleWithForm } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { formatDate } from "../../components/format";
import { CreateDatastoreForm } from "./CreateDatastoreForm";

export default function Datastores() {
  const datastores = useDatastores();
  const remove = useDeleteDatastore();
  const confirmation = useDeleteConfirmation(remove);

  return (
    <section>
      <PageTitleWithForm title="Datastores" action="Add datastore" form={(close) => <CreateDatastoreForm onDone={close} />} />
      <QueryState query={datastores} error={remove.error}>
        {(items) => (
          <DataTable caption="Datastores" columns={["Name", "Type", "Settings", "Description", "Created", ACTIONS_COLUMN]}>
            {items.map((d) => (
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
                <td className="nowrap">{!d.is_default && <ConfirmDelete kind="datastore" name={d.name} confirmation={confirmation} busy={remove.isPending} />}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
    </section>
  );
}
