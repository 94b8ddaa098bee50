import { useState, type FormEvent } from "react";
import { useCreateWebhook, useEventTypes, type Webhook } from "../../api/webhooks";
import { CopyButton } from "../../components/CopyButton";
import { Field, hintId } from "../../components/Field";
import { ErrorMessage } from "../../components/Status";

/** The new webhook's secret, shown this once: the server keeps only what it needs to sign. */
function SecretOnce({ webhook, onDone }: { webhook: Webhook; onDone: () => void }) {
  return (
    <div className="card secret-once" role="status" data-testid="webhook-secret">
      <p>
        Webhook <strong>{webhook.name}</strong> created. Its signing secret is shown <strong>only now</strong>: copy it to the receiver.
      </p>
      <p className="inline-field">
        <code className="mono">{webhook.secret}</code> <CopyButton text={webhook.secret ?? ""} label="Copy the secret" />
      </p>
      <button type="button" className="button" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

export function CreateWebhookForm({ onDone }: { onDone: () => void }) {
  const create = useCreateWebhook();
  const types = useEventTypes();
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<string[]>([]);
  if (create.data) return <SecretOnce webhook={create.data} onDone={onDone} />;

  const toggle = (type: string, on: boolean) => setEvents((list) => (on ? [...list, type] : list.filter((t) => t !== type)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim() || null, url: url.trim(), events, description: description.trim() || null });
  };
  return (
    <form className="form card" onSubmit={submit} aria-label="New webhook">
      <div className="form-grid">
        <Field id="webhook-url" label="URL" hint="where each event is POSTed (CloudEvents JSON, signed)">
          <input id="webhook-url" type="url" required value={url} placeholder="https://hooks.example.com/modelyard" onChange={(e) => setUrl(e.target.value)} aria-describedby={hintId("webhook-url")} />
        </Field>
        <Field id="webhook-name" label="Name" hint="default: webhook-<random>">
          <input id="webhook-name" value={name} onChange={(e) => setName(e.target.value)} aria-describedby={hintId("webhook-name")} />
        </Field>
        <Field id="webhook-description" label="Description">
          <input id="webhook-description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
      </div>
      <fieldset>
        <legend>Events</legend>
        <ErrorMessage error={types.error} />
        <div className="event-types">
          {Object.entries(types.data ?? {}).map(([type, what]) => (
            <label key={type} className="checkbox" title={what}>
              <input type="checkbox" checked={events.includes(type)} onChange={(e) => toggle(type, e.target.checked)} />
              {type}
            </label>
          ))}
        </div>
      </fieldset>
      <ErrorMessage error={create.error} />
      <div className="actions">
        <button type="button" className="button ghost" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={create.isPending || events.length === 0}>
          Create webhook
        </button>
      </div>
    </form>
  );
}
