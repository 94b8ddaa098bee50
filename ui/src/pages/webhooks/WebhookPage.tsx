import { useNavigate, useParams } from "react-router";
import { useDeleteWebhook, useDeliveries, useRedeliver, useTestWebhook, useWebhook, type WebhookDelivery } from "../../api/webhooks";
import { ConfirmButton } from "../../components/ConfirmButton";
import { ACTIONS_COLUMN, DataTable } from "../../components/DataTable";
import { formatDate } from "../../components/format";
import { DetailTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { ErrorMessage, Loading } from "../../components/Status";
import "./webhooks.css";

function DeliveryStatus({ delivery }: { delivery: WebhookDelivery }) {
  const tone = delivery.status === "Succeeded" ? "ok" : delivery.status === "Failed" ? "warn" : "";
  return <span className={`badge ${tone}`}>{delivery.status}</span>;
}

/** /webhooks/:name — the webhook, its deliveries (status, attempts, response), test, redeliver and delete. */
export default function WebhookPage() {
  const { name = "" } = useParams();
  const webhook = useWebhook(name);
  const deliveries = useDeliveries(name);
  const test = useTestWebhook();
  const redeliver = useRedeliver(name);
  const remove = useDeleteWebhook();
  const navigate = useNavigate();
  return (
    <section>
      <DetailTitle list={{ to: "/webhooks", label: "Webhooks" }} name={name}>
        <div className="actions">
          <button type="button" className="button" disabled={test.isPending} onClick={() => test.mutate(name)}>
            Send test event
          </button>
          <ConfirmButton label="Delete" question={`Delete webhook ${name}?`} onConfirm={() => remove.mutate(name, { onSuccess: () => navigate("/webhooks") })} />
        </div>
      </DetailTitle>
      <ErrorMessage error={webhook.error ?? test.error ?? redeliver.error ?? remove.error} />
      {test.data && (
        <p className="ok" role="status">
          Test event queued as delivery {test.data.id}.
        </p>
      )}
      {webhook.isPending && <Loading />}
      {webhook.data && (
        <dl className="details">
          <dt>URL</dt>
          <dd className="mono break">{webhook.data.url}</dd>
          <dt>Events</dt>
          <dd>{webhook.data.events.join(", ")}</dd>
          {webhook.data.description && (
            <>
              <dt>Description</dt>
              <dd>{webhook.data.description}</dd>
            </>
          )}
          <dt>Created</dt>
          <dd>{formatDate(webhook.data.created_at)}</dd>
        </dl>
      )}
      <h2>Deliveries</h2>
      <QueryState query={deliveries} empty="No deliveries yet: send a test event, or wait for one of its events.">
        {(items) => (
          <DataTable
            caption="Deliveries, newest first"
            columns={["#", "Event", "Status", { label: "Attempts", className: "num" }, "Response", { label: "Time", className: "num" }, "Created", "Error", ACTIONS_COLUMN]}
            testId="deliveries"
          >
            {items.map((d) => (
              <tr key={d.id} data-delivery={d.id}>
                <td>
                  {d.id}
                  {d.redelivery_of ? <div className="muted small">again of {d.redelivery_of}</div> : null}
                </td>
                <td className="mono small">{d.event_type}</td>
                <td>
                  <DeliveryStatus delivery={d} />
                </td>
                <td className="num">{d.attempts}</td>
                <td>{d.response_code ?? "—"}</td>
                <td className="num nowrap">{d.duration_ms === null || d.duration_ms === undefined ? "—" : `${Math.round(d.duration_ms)} ms`}</td>
                <td className="nowrap">{formatDate(d.created_at)}</td>
                <td className="small break">{d.error ?? ""}</td>
                <td>
                  <button type="button" className="button small" disabled={redeliver.isPending} aria-label={`Redeliver ${d.id}`} onClick={() => redeliver.mutate(d.id)}>
                    Redeliver
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
    </section>
  );
}
