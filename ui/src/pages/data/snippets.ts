// The Consume tab's snippets: each one is meant to be pasted and run as it is.
import type { DataAsset, DataFile } from "../../api/data";

const py = (s: string) => JSON.stringify(s);
const r = (s: string) => JSON.stringify(s); // R's double-quoted strings escape like JSON for what names allow

export function pythonSnippet(asset: DataAsset): string {
  const get = `ws.data.get(${py(asset.name)}, version=${asset.version})`;
  const use =
    asset.type === "mltable"
      ? `df = ${get}.to_pandas()          # also .to_arrow(), .profile()`
      : `path = ${get}.download(${py(`./${asset.name}`)})   # or .path to read the files in place`;
  return ["from modelyard import Workspace", "", "ws = Workspace.from_config()   # finds the workspace from the current folder", use, ""].join("\n");
}

export function cliSnippet(asset: DataAsset): string {
  const ref = `${asset.name}:${asset.version}`;
  return [
    `modelyard data show ${ref}`,
    `modelyard data download ${ref} --download-path ./${asset.name}`,
    ...(asset.type === "mltable" ? [`modelyard data preview ${ref} --rows 20`, `modelyard data profile ${ref}`] : []),
    "",
  ].join("\n");
}

type Format = "csv" | "tsv" | "parquet" | "jsonl";

function formatOf(asset: DataAsset, files: DataFile[]): Format {
  if (asset.parse?.format) return asset.parse.format;
  const name = files[0]?.name.toLowerCase() ?? asset.path.toLowerCase();
  if (name.endsWith(".parquet") || name.endsWith(".pq")) return "parquet";
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return "jsonl";
  if (name.endsWith(".tsv") || name.endsWith(".tab")) return "tsv";
  return "csv";
}

function rEncoding(encoding: string | undefined): string {
  const e = (encoding ?? "utf-8").toLowerCase().replace("_", "-");
  if (e === "utf-8" || e === "utf8" || e === "utf-8-sig") return "UTF-8-BOM"; // reads files with and without a BOM
  if (e === "latin-1" || e === "latin1" || e === "iso8859-1" || e === "iso-8859-1") return "latin1";
  return e.toUpperCase();
}

/** R (httr + jsonlite) reading the version's files from GET /api/data/{name}/versions/{v}/files/{file}. */
export function rSnippet(asset: DataAsset, files: DataFile[], origin: string): string {
  const head = [
    "library(httr)",
    "library(jsonlite)",
    "",
    `version <- ${r(`${origin}/api/data/${encodeURIComponent(asset.name)}/versions/${asset.version}`)}`,
    '# a server that needs its token: add add_headers(Authorization = paste("Bearer", Sys.getenv("MODELYARD_TOKEN"))) to each GET',
    'files <- fromJSON(content(stop_for_status(GET(paste0(version, "/files"))), as = "text", encoding = "UTF-8"))',
    "",
    "download <- function(name, folder = tempdir()) {",
    "  target <- file.path(folder, name)",
    "  dir.create(dirname(target), recursive = TRUE, showWarnings = FALSE)",
    '  stop_for_status(GET(paste0(version, "/files/", URLencode(name)), write_disk(target, overwrite = TRUE)))',
    "  target",
    "}",
  ];
  if (asset.type !== "mltable") {
    return [...head, "", `paths <- vapply(files$name, download, "", folder = ${r(asset.name)})`, "print(paths)", ""].join("\n");
  }
  const format = formatOf(asset, files);
  const excluded = (asset.columns ?? []).filter((c) => c.include === false).map((c) => c.name);
  let reader: string[];
  if (format === "parquet") {
    reader = ["read_one <- function(name, first) as.data.frame(arrow::read_parquet(download(name)))   # needs the arrow package"];
  } else if (format === "jsonl") {
    reader = ["read_one <- function(name, first) jsonlite::stream_in(file(download(name)), verbose = FALSE)"];
  } else {
    const parse = asset.parse;
    const sep = parse?.delimiter ?? (format === "tsv" ? "\t" : ",");
    const header = parse?.header ?? "all_files_same_headers";
    const names = (asset.columns ?? []).map((c) => r(c.name)).join(", ");
    const headerArg =
      header === "no_headers" ? "FALSE" : header === "only_first_file_has_headers" ? "first" : "TRUE";
    const nullValues = (parse?.null_values ?? [""]).map(r).join(", ");
    reader = [
      "read_one <- function(name, first) {",
      `  df <- read.csv(download(name), sep = ${r(sep)}, header = ${headerArg}, skip = ${parse?.skip_rows ?? 0},`,
      `                 fileEncoding = ${r(rEncoding(parse?.encoding))}, na.strings = c(${nullValues}), check.names = FALSE)`,
      ...(header !== "all_files_same_headers" && names ? [`  names(df) <- c(${names})`] : []),
      "  df",
      "}",
    ];
  }
  return [
    ...head,
    "",
    ...reader,
    "df <- do.call(rbind, lapply(seq_along(files$name), function(i) read_one(files$name[i], i == 1)))",
    ...(excluded.length ? [`df <- df[, setdiff(names(df), c(${excluded.map(r).join(", ")})), drop = FALSE]   # excluded in the schema`] : []),
    "str(df)",
    "",
  ].join("\n");
}
