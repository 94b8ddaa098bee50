import { useRef, useState, type ChangeEvent, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useCloneDraft, useCreateDraft, useDeleteDraft, useDrafts, useImportDraft, useRenameDraft, type DesignerDraft } from "../../api/designer";
import { asName } from "../automl/DeployDialog";
import { freshId } from "./graph";
import { ConfirmDelete, useDeleteConfirmation } from "../../components/ConfirmDelete";
import { ACTIONS_COLUMN, DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { formatDate } from "../../components/format";
import { PageTitleWithForm } from "../../components/PageTitle";
import { ErrorMessage, Loading } from "../../components/Status";

/** The Designer's drafts: create one with a name (then its canvas opens), rename, clone, delete. */
export default function DraftsPage() {
  const drafts = useDrafts();
  const remove = useDeleteDraft();
  const confirmation = useDeleteConfirmation(remove);
  return (
    <section>
      <PageTitleWithForm title="Designer" action="New pipeline" form={(close) => <NewDraftForm onCancel={close} />} />
      <p className="muted">Pipelines drawn from datasets and built-in modules; each is saved as you edit it.</p>
      <ImportYaml taken={drafts.data?.map((d) => d.name) ?? []} />
      <ErrorMessage error={remove.error} />
      {drafts.isPending ? (
        <Loading what="Loading pipelines" />
      ) : drafts.error ? (
        <ErrorMessage error={drafts.error} />
      ) : drafts.data.length === 0 ? (
        <p className="muted">No pipeline yet: press New pipeline.</p>
      ) : (
        <DataTable caption="Designer pipelines" columns={["Name", "Modules", "Version", "Saved", ACTIONS_COLUMN]}>
          {drafts.data.map((draft) => (
            <DraftRow key={draft.name} draft={draft} taken={drafts.data.map((d) => d.name)}>
              <ConfirmDelete kind="pipeline" name={draft.name} confirmation={confirmation} busy={remove.isPending} />
            </DraftRow>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function DraftRow({ draft, taken, children }: { draft: DesignerDraft; taken: string[]; children: React.ReactNode }) {
  const [renaming, setRenaming] = useState(false);
  const clone = useCloneDraft();
  const navigate = useNavigate();
  const copy = () =>
    clone.mutate({ draft, to: freshId(`${draft.name}-copy`, taken) }, { onSuccess: (made) => navigate(`/designer/${encodeURIComponent(made.name)}`) });
  return (
    <tr data-draft={draft.name}>
      <td>
        {renaming ? (
          <RenameForm name={draft.name} onDone={() => setRenaming(false)} />
        ) : (
          <Link to={`/designer/${encodeURIComponent(draft.name)}`}>{draft.name}</Link>
        )}
      </td>
      <td className="num">{draft.graph.nodes?.length ?? 0}</td>
      <td className="num">{draft.version}</td>
      <td>{formatDate(draft.created_at)}</td>
      <td className="nowrap">
        {!renaming && (
          <button type="button" className="button small" aria-label={`Rename pipeline ${draft.name}`} onClick={() => setRenaming(true)}>
            Rename
          </button>
        )}{" "}
        <button type="button" className="button small" aria-label={`Clone pipeline ${draft.name}`} onClick={copy} disabled={clone.isPending}>
          Clone
        </button>{" "}
        {children}
        <ErrorMessage error={clone.error} />
      </td>
    </tr>
  );
}

function RenameForm({ name, onDone }: { name: string; onDone: () => void }) {
  const rename = useRenameDraft();
  const [to, setTo] = useState(name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    rename.mutate({ name, to: to.trim() }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} className="inline-form">
      <input aria-label={`New name of ${name}`} value={to} onChange={(e) => setTo(e.target.value)} autoFocus />
      <button type="submit" className="button small primary" disabled={rename.isPending || !to.trim()}>
        Save
      </button>
      <button type="button" className="button small" onClick={onDone}>
        Cancel
      </button>
      <ErrorMessage error={rename.error} />
    </form>
  );
}

function NewDraftForm({ onCancel }: { onCancel: () => void }) {
  const create = useCreateDraft();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(name.trim(), { onSuccess: (draft) => navigate(`/designer/${encodeURIComponent(draft.name)}`) });
  };
  return (
    <form className="card form" onSubmit={submit}>
      <Field id="draft-name" label="Pipeline name" hint="Letters, digits, '-', '_' and '.'">
        <input id="draft-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </Field>
      <ErrorMessage error={create.error} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={create.isPending || !name.trim()}>
          Create
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The draft name an imported file gets: its file name, made a draft name that no draft has yet. */
export const importedName = (fileName: string, taken: string[]) => freshId(asName(fileName.replace(/\.ya?ml$/i, "")) || "pipeline", taken);

/** Azure's "import pipeline": a pipeline YAML file (as Export YAML writes it) saved as a new draft, which then opens. */
function ImportYaml({ taken }: { taken: string[] }) {
  const importDraft = useImportDraft();
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<string | null>(null);
  const chosen = async (event: ChangeEvent<HTMLInputElement>) => {
    const picked = event.target.files?.[0];
    event.target.value = ""; // the same file picked again is a new import
    if (!picked) return;
    setFile(picked.name);
    importDraft.mutate(
      { name: importedName(picked.name, taken), yaml: await picked.text() },
      { onSuccess: (draft) => navigate(`/designer/${encodeURIComponent(draft.name)}`) },
    );
  };
  return (
    <div className="import-yaml">
      <button type="button" className="button" onClick={() => input.current?.click()} disabled={importDraft.isPending}>
        {importDraft.isPending ? "Importing…" : "Import YAML"}
      </button>
      <input ref={input} type="file" accept=".yml,.yaml,application/yaml" hidden aria-label="Pipeline YAML file" onChange={chosen} />
      <ErrorMessage error={importDraft.error} title={`Not imported: ${file}`} />
    </div>
  );
}
