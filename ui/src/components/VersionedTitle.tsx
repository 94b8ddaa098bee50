import { Link } from "react-router";
import { PageTitle } from "./PageTitle";

type Version = { version: number; archived?: boolean | null };

type Props = {
  /** The list page the breadcrumb leads back to. */
  list: { to: string; label: string };
  name: string;
  /** The version on the page, once loaded. */
  shown: Version | undefined;
  versions: Version[] | undefined;
  onPick: (version: string) => void;
};

/** A versioned asset's breadcrumb and heading (name:version, archived or not) with a picker of its versions. */
export function VersionedTitle({ list, name, shown, versions, onPick }: Props) {
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={list.to}>{list.label}</Link> / <span>{name}</span>
      </nav>
      <PageTitle
        title={
          <>
            {name}
            {shown && <span className="muted">:{shown.version}</span>}
            {shown?.archived && <span className="badge warn">archived</span>}
          </>
        }
      >
        {versions && versions.length > 0 && (
          <label className="inline-field">
            Version
            <select value={shown ? String(shown.version) : ""} onChange={(e) => onPick(e.target.value)}>
              {versions.map((v) => (
                <option key={v.version} value={String(v.version)}>
                  {v.version}
                  {v.archived ? " (archived)" : ""}
                </option>
              ))}
            </select>
          </label>
        )}
      </PageTitle>
    </>
  );
}
