import { useState, type FormEvent } from "react";
import { useUpdateModel, type Model } from "../../api/models";
import { Field, hintId } from "../../components/Field";
import { ErrorMessage } from "../../components/Status";
import { parseTags, tagsText } from "./tags";

/** Description and tags of one version. */
export function EditModel({ model, onDone }: { model: Model; onDone: () => void }) {
  const [description, setDescription] = useState(model.description ?? "");
  const [tags, setTags] = useState(tagsText(model.tags));
  const update = useUpdateModel(model.name);
  const parsed = parseTags(tags);
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (parsed.tags) update.mutate({ version: model.version, change: { description, tags: parsed.tags } }, { onSuccess: onDone });
  };
  return (
    <form className="form" onSubmit={save} aria-label="Edit the model">
      <Field id="model-description" label="Description">
        <textarea id="model-description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <Field id="model-tags" label="Tags">
        <textarea id="model-tags" className="mono" rows={4} value={tags} onChange={(e) => setTags(e.target.value)} aria-describedby={hintId("model-tags")} />
        <span id={hintId("model-tags")} className="hint">
          One key=value a line.
        </span>
      </Field>
      {parsed.error && (
        <p className="error-inline" role="alert">
          {parsed.error}
        </p>
      )}
      <ErrorMessage error={update.error} title="The model was not saved" />
      <div className="toolbar">
        <button type="submit" className="button primary" disabled={parsed.error !== null || update.isPending}>
          Save
        </button>
        <button type="button" className="button ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Aliases pointing at this version (setting one here moves it from another version) and archiving. */
export function AliasesAndArchive({ model }: { model: Model }) {
  const [alias, setAlias] = useState("");
  const update = useUpdateModel(model.name);
  const change = (c: Parameters<typeof update.mutate>[0]["change"], then?: () => void) => update.mutate({ version: model.version, change: c }, { onSuccess: then });
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (alias.trim()) change({ set_aliases: [alias.trim()] }, () => setAlias(""));
  };
  return (
    <section aria-labelledby="aliases-title">
      <h2 id="aliases-title">Aliases</h2>
      <ul className="alias-list">
        {(model.aliases ?? []).length === 0 && <li className="muted">No alias points at this version.</li>}
        {(model.aliases ?? []).map((a) => (
          <li key={a}>
            <span className="badge">@{a}</span>
            <button type="button" className="button ghost small" onClick={() => change({ remove_aliases: [a] })} aria-label={`Remove alias ${a}`}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-field" onSubmit={add} aria-label="Set an alias">
        <label htmlFor="new-alias">Alias</label>
        <input id="new-alias" value={alias} onChange={(e) => setAlias(e.target.value)} placeholder="champion" />
        <button type="submit" className="button small" disabled={!alias.trim() || update.isPending}>
          Set alias
        </button>
      </form>
      <ErrorMessage error={update.error} />
      <h2>Archive</h2>
      <p className="muted">An archived version keeps its files and deployments but leaves the list and `@latest`.</p>
      <button type="button" className="button" disabled={update.isPending} onClick={() => change({ archived: !model.archived })}>
        {model.archived ? `Restore version ${model.version}` : `Archive version ${model.version}`}
      </button>
    </section>
  );
}
