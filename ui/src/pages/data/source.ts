// Where a dataset came from, as a user reads it: an upload through the studio or SDK is stored under the
// workspace's internal .modelyard/uploads/<id>/ folder, which means nothing to them; its file name does.
const UPLOAD = /[\\/]\.modelyard[\\/]uploads[\\/][0-9a-f]+[\\/](.+)$/;

export function describeSource(source: string | null | undefined): string {
  if (!source) return "—";
  const upload = UPLOAD.exec(source);
  return upload ? `uploaded file ${upload[1]}` : source;
}
