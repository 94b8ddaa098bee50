import { useState } from "react";
import { EVENT_BUFFER, useEventStream } from "../../api/events";
import { useEventTypes } from "../../api/webhooks";
import { DataTable } from "../../components/DataTable";
import { formatDate } from "../../components/format";
import { PageTitle } from "../../components/PageTitle";
import { ErrorMessage } from "../../components/Status";
import "./webhooks.css";

/** /events — the workspace's events as they happen (server-sent events), filtered by type, the latest few hundred kept. */
export default function EventsView() {
  const types = useEventTypes();
  const [type, setType] = useState("");
  const stream = useEventStream(type ? [type] : []);
  return (
    <section>
      <PageTitle title="Events" />
      <div className="toolbar">
        <label className="inline-field">
          Type
          <select value={type} onChange={(e) => setType(e.target.value)} aria-label="Event type">
            <option value="">All types</option>
            {Object.keys(types.data ?? {}).map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <span className={stream.connected ? "badge ok" : "badge warn"} role="status" data-testid="stream-state">
          {stream.connected ? "Live" : "Connecting…"}
        </span>
        <span className="muted small">the latest {EVENT_BUFFER} are kept; earlier events: <code>modelyard events list</code></span>
      </div>
      <ErrorMessage error={stream.error ?? types.error} />
      {stream.events.length === 0 ? (
        <p className="muted">Waiting for events…</p>
      ) : (
        <DataTable caption="Events, newest first" columns={["#", "Time", "Type", "Subject", "Data"]} testId="events">
          {stream.events.map((event) => (
            <tr key={event.id}>
              <td>{event.sequence}</td>
              <td className="nowrap">{formatDate(event.time)}</td>
              <td className="mono small">{event.type.replace(/^modelyard\./, "")}</td>
              <td className="break">{event.subject ?? ""}</td>
              <td className="mono small break event-data">{JSON.stringify(event.data)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
