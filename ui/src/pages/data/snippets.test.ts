import type { DataAsset } from "../../api/data";
import { cliSnippet, pythonSnippet, rSnippet } from "./snippets";

const asset: DataAsset = {
  name: "employeeattrition",
  version: 3,
  type: "mltable",
  path: "modelyard://datastores/workspaceblobstore/paths/data/abc",
  source: "/tmp/HR.csv",
  content_hash: "abc",
  size_bytes: 10,
  created_at: "2026-01-01T00:00:00Z",
  parse: { delimiter: ";", encoding: "latin-1", header: "no_headers", skip_rows: 2, quote: '"', null_values: ["", "NA"] },
  columns: [
    { name: "Age", type: "integer", include: true },
    { name: "Over18", type: "string", include: false },
  ],
};
const files = [{ name: "HR.csv", sha256: "abc", size: 10, uri: "file:///x/HR.csv" }];

describe("Consume snippets", () => {
  it("Python and CLI name the exact version", () => {
    expect(pythonSnippet(asset)).toContain('df = ws.data.get("employeeattrition", version=3).to_pandas()');
    expect(cliSnippet(asset)).toContain("modelyard data download employeeattrition:3");
    expect(pythonSnippet({ ...asset, type: "uri_folder" })).toContain('.download("./employeeattrition")');
  });

  it("R reads the files with the version's own parse settings and schema", () => {
    const r = rSnippet(asset, files, "http://127.0.0.1:8686");
    expect(r).toContain('version <- "http://127.0.0.1:8686/api/data/employeeattrition/versions/3"');
    expect(r).toContain('sep = ";", header = FALSE, skip = 2');
    expect(r).toContain('fileEncoding = "latin1", na.strings = c("", "NA")');
    expect(r).toContain('names(df) <- c("Age", "Over18")');
    expect(r).toContain('setdiff(names(df), c("Over18"))');
  });

  it("R reads Parquet files (SQL sources are stored as Parquet) with arrow", () => {
    const r = rSnippet({ ...asset, parse: null }, [{ ...files[0], name: "part-0.parquet" }], "http://h");
    expect(r).toContain("arrow::read_parquet");
    expect(r).not.toContain("read.csv");
  });
});
