import { ErrorMessage } from "./Status";
import { formatBytes } from "./format";

type Files = { data?: { name: string; size: number }[]; error: unknown };

/** An asset's files as download links with their sizes (or why they could not be listed). */
export function FileLinks({ files, href }: { files: Files; href: (file: string) => string }) {
  return (
    <>
      <ErrorMessage error={files.error} />
      {files.data && (
        <ul className="files">
          {files.data.map((f) => (
            <li key={f.name}>
              <a href={href(f.name)} download>
                {f.name}
              </a>{" "}
              <span className="muted">{formatBytes(f.size)}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
