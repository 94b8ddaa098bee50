import { useArchiveEnvironment, type Environment } from "../../api/environments";
import { stateTone } from "./environment";
import "../../components/status.css";

/** A version's build state as a pill: Ready, Failed, or Queued/Building (pulsing). */
export function EnvironmentState({ environment }: { environment: Pick<Environment, "state"> }) {
  return <span className={`job-status ${stateTone(environment.state)}`}>{environment.state}</span>;
}

/** Archive a version (hidden from lists and from @latest; jobs may still name it) or restore it. */
export function ArchiveButton({ environment, archive, className = "button" }: { environment: Environment; archive: ReturnType<typeof useArchiveEnvironment>; className?: string }) {
  const verb = environment.archived ? "Restore" : "Archive";
  return (
    <button
      type="button"
      className={className}
      disabled={archive.isPending}
      aria-label={`${verb} ${environment.name}:${environment.version}`}
      onClick={() => archive.mutate({ environment, archived: !environment.archived })}
    >
      {verb}
    </button>
  );
}
