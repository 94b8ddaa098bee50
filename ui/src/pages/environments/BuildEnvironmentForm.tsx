import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { useBuildEnvironment } from "../../api/environments";
import { Field, hintId } from "../../components/Field";
import { ErrorMessage } from "../../components/Status";
import { buildSpec, versionLink } from "./environment";

/** A new version from a python version and pip requirements; its build is queued at once and its page opened. */
export function BuildEnvironmentForm({ onDone }: { onDone: () => void }) {
  const build = useBuildEnvironment();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: "", python: "", requirements: "", description: "" });
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    build.mutate(buildSpec(form), { onSuccess: (environment) => navigate(versionLink(environment)) });
  };
  return (
    <form className="form card" onSubmit={submit} aria-label="Build an environment">
      <div className="form-grid">
        <Field id="environment-name" label="Name" hint="a new name, or an existing one for its next version">
          <input id="environment-name" required value={form.name} placeholder="attrition-env" onChange={(e) => set("name")(e.target.value)} aria-describedby={hintId("environment-name")} />
        </Field>
        <Field id="environment-python" label="Python" hint="e.g. 3.11; default: the server's interpreter">
          <input id="environment-python" value={form.python} onChange={(e) => set("python")(e.target.value)} aria-describedby={hintId("environment-python")} />
        </Field>
        <Field id="environment-description" label="Description">
          <input id="environment-description" value={form.description} onChange={(e) => set("description")(e.target.value)} />
        </Field>
      </div>
      <Field id="environment-pip" label="pip requirements" hint="one a line, as in requirements.txt; # comments are left out">
        <textarea id="environment-pip" rows={6} className="mono" value={form.requirements} placeholder={"scikit-learn>=1.4\nlightgbm"} onChange={(e) => set("requirements")(e.target.value)} aria-describedby={hintId("environment-pip")} />
      </Field>
      <ErrorMessage error={build.error} />
      <div className="actions">
        <button type="button" className="button ghost" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={build.isPending || !form.name.trim()}>
          Build
        </button>
      </div>
    </form>
  );
}
