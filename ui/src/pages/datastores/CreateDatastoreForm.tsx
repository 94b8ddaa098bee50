import { useState, type FormEvent } from "react";
import { useCreateDatastore, type DatastoreCreate } from "../../api/datastores";
import { Field, hintId, SelectField } from "../../components/Field";
import { ErrorMessage } from "../../components/Status";

type Kind = DatastoreCreate["type"];
interface FieldSpec {
  key: string;
  label: string;
  required?: boolean;
  secret?: boolean;
  checkbox?: boolean;
  placeholder?: string;
  hint?: string;
}

const FIELDS: Record<NonNullable<Kind>, FieldSpec[]> = {
  local: [{ key: "path", label: "Folder path", required: true, placeholder: "/data/lake", hint: "an existing folder on the server's machine" }],
  s3: [
    { key: "bucket", label: "Bucket", required: true },
    { key: "prefix", label: "Prefix", placeholder: "datasets/" },
    { key: "endpoint_url", label: "Endpoint URL", placeholder: "https://s3.example.org", hint: "for any S3-compatible service; empty for AWS" },
    { key: "region", label: "Region", placeholder: "us-east-1" },
    { key: "access_key_id", label: "Access key ID" },
    { key: "secret_access_key", label: "Secret access key", secret: true, hint: "stored on the server, never shown again" },
    { key: "anonymous", label: "Anonymous access (public bucket)", checkbox: true },
  ],
  http: [{ key: "url", label: "Base URL", required: true, placeholder: "https://example.org/files", hint: "data paths are appended to it" }],
  sql: [
    {
      key: "url",
      label: "Database URL",
      required: true,
      secret: true,
      placeholder: "postgresql://user:password@host/db",
      hint: "a SQLAlchemy URL such as sqlite:///file.db; the password is masked once saved",
    },
  ],
};

const KINDS: { value: NonNullable<Kind>; label: string }[] = [
  { value: "local", label: "Local folder" },
  { value: "s3", label: "S3 / S3-compatible" },
  { value: "http", label: "Web (HTTP)" },
  { value: "sql", label: "SQL database" },
];

export function CreateDatastoreForm({ onDone }: { onDone: () => void }) {
  const create = useCreateDatastore();
  const [kind, setKind] = useState<NonNullable<Kind>>("local");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [values, setValues] = useState<Record<string, string | boolean>>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const fields: Record<string, string | boolean> = {};
    for (const field of FIELDS[kind]) {
      const value = values[`${kind}.${field.key}`];
      if (field.checkbox) fields[field.key] = Boolean(value);
      else if (typeof value === "string" && value.trim()) fields[field.key] = value.trim();
    }
    const spec = { type: kind, name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}), ...fields };
    create.mutate(spec as DatastoreCreate, { onSuccess: onDone });
  };

  return (
    <form className="form card" onSubmit={submit} aria-label="New datastore">
      <h2>New datastore</h2>
      <div className="form-grid">
        <SelectField id="ds-type" label="Type" value={kind} options={KINDS} onChange={(picked) => setKind(picked as NonNullable<Kind>)} />
        <Field id="ds-name" label="Name">
          <input id="ds-name" required value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </Field>
        <Field id="ds-description" label="Description">
          <input id="ds-description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        {FIELDS[kind].map((field) => {
          const id = `ds-${kind}-${field.key}`;
          const value = values[`${kind}.${field.key}`];
          const set = (v: string | boolean) => setValues((all) => ({ ...all, [`${kind}.${field.key}`]: v }));
          return field.checkbox ? (
            <label key={id} className="checkbox">
              <input id={id} type="checkbox" checked={Boolean(value)} onChange={(e) => set(e.target.checked)} />
              {field.label}
            </label>
          ) : (
            <Field key={id} id={id} label={field.label} hint={field.hint}>
              <input
                id={id}
                type={field.secret ? "password" : "text"}
                required={field.required}
                className="mono"
                value={typeof value === "string" ? value : ""}
                placeholder={field.placeholder}
                autoComplete="off"
                onChange={(e) => set(e.target.value)}
                aria-describedby={field.hint ? hintId(id) : undefined}
              />
            </Field>
          );
        })}
      </div>
      <ErrorMessage error={create.error} title="Could not create the datastore" />
      <div className="actions">
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? "Checking and creating…" : "Create datastore"}
        </button>
      </div>
    </form>
  );
}
