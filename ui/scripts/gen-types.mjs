// Generate src/api/schema.d.ts from the server's OpenAPI document (dumped by Python, no server started).
// The Python comes from $MODELYARD_PYTHON, else the repo's .venv, else python3 on PATH.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ui = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const venvPython = resolve(ui, "..", ".venv", "bin", "python");
const python = process.env.MODELYARD_PYTHON || (existsSync(venvPython) ? venvPython : "python3");
const spec = resolve(ui, "build", "openapi.json");

execFileSync(python, [resolve(ui, "scripts", "dump_openapi.py"), spec], { stdio: "inherit" });
execFileSync(process.execPath, [resolve(ui, "node_modules", "openapi-typescript", "bin", "cli.js"), spec,
  "--default-non-nullable", "false", "-o", resolve(ui, "src", "api", "schema.d.ts")], { stdio: "inherit" });
