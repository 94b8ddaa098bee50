import { Link } from "react-router";
import { useDeleteWebhook, useWebhooks } from "../../api/webhooks";
import { ConfirmDelete, useDeleteConfirmation } from "../../components/ConfirmDelete";
import { ACTIONS_COLUMN, DataTable } from "../../components/DataTable";
import { formatDate } from "../../components/format";
import { PageTitleWithForm } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { CreateWebhookForm } from "./CreateWebhookForm";
import "./webhooks.css";

/** /webhooks — where events are POSTed; create one (its secret shown once), open its deliveries, delete. */
export default function WebhookList() {
  const webhooks = useWebhooks();
  const remove = useDeleteWebhook();
  const confirmation = useDeleteConfirmation(remove);
  return (
    <section>
      <PageTitleWithForm title="Webhooks" action="New webhook" form={(close) => <CreateWebhookForm onDone={close} />} />
      <p className="muted">
        Each event a webhook subscribes to is POSTed to its URL, signed and retried. <Link to="/events">Watch events live</Link>.
      </p>
      <QueryState query={webhooks} error={remove.error} empty="No webhooks yet.">
        {(items) => (
          <DataTable caption="Webhooks" columns={["Name", "URL", "Events", "Created", ACTIONS_COLUMN]} testId="webhooks">
            {items.map((webhook) => (
              <tr key={webhook.name} data-webhook={webhook.name}>
                <td>
                  <Link to={`/webhooks/${encodeURIComponent(webhook.name)}`}>{webhook.name}</Link>
                  {webhook.description && <div className="muted small">{webhook.description}</div>}
                </td>
                <td className="mono small break">{webhook.url}</td>
                <td>{webhook.events.join(", ")}</td>
                <td className="nowrap">{formatDate(webhook.created_at)}</td>
                <td className="nowrap">
                  <ConfirmDelete kind="webhook" name={webhook.name} confirmation={confirmation} busy={remove.isPending} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
    </section>
  );
}
