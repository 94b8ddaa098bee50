import type { Environment } from "../../api/environments";
import { buildSpec, environmentYaml, parseRequirements, rebuildSpec, stateTone, versionLink } from "./environment";

const built: Environment = {
  name: "attrition-env",
  version: 3,
  description: "training",
  tags: {},
  python: "3.11",
  pip: ["scikit-learn>=1.4", "lightgbm==4.3.0"],
  content_hash: "abc",
  state: "Failed",
  build_job: "job-1",
  packages: [],
  error: "pip failed",
  archived: false,
  created_at: "2026-12-03T10:00:00Z",
};

describe("parseRequirements", () => {
  it("keeps one requirement a line, without blank lines, comments or surrounding spaces", () => {
    expect(parseRequirements("  scikit-learn>=1.4  \n\n# pinned for the workshop\nlightgbm==4.3.0 # fast\r\npandas")).toEqual([
      "scikit-learn>=1.4",
      "lightgbm==4.3.0",
      "pandas",
    ]);
  });

  it("keeps a # that belongs to a URL fragment", () => {
    expect(parseRequirements("pkg @ https://example.com/pkg.whl#sha256=ab")).toEqual(["pkg @ https://example.com/pkg.whl#sha256=ab"]);
  });
});

describe("buildSpec and rebuildSpec", () => {
  it("sends the form's name, python and requirements, an empty python as the server's", () => {
    expect(buildSpec({ name: " env ", python: " ", requirements: "a\nb", description: "" })).toEqual({ name: "env", python: null, pip: ["a", "b"], description: null });
  });

  it("builds a version's content again under its name, without its version number", () => {
    const spec = rebuildSpec(built);
    expect(spec).toEqual({ name: "attrition-env", python: "3.11", pip: ["scikit-learn>=1.4", "lightgbm==4.3.0"], description: "training" });
    expect(spec.pip).not.toBe(built.pip);
  });
});

describe("environmentYaml", () => {
  it("writes the YAML that environment create -f reads, pip as a block list", () => {
    expect(environmentYaml(built)).toBe(
      [
        '$schema: "https://azuremlschemas.azureedge.net/latest/environment.schema.json"',
        "name: attrition-env",
        "version: 3",
        "description: training",
        'python: "3.11"',
        "pip:",
        '  - "scikit-learn>=1.4"',
        '  - "lightgbm==4.3.0"',
        "",
      ].join("\n"),
    );
  });

  it("leaves pip out when there is none", () => {
    expect(environmentYaml({ ...built, pip: [], python: null })).not.toContain("pip");
  });
});

describe("stateTone and versionLink", () => {
  it("tones Ready ok, Failed failed and a build under way active", () => {
    expect(["Ready", "Failed", "Queued", "Building"].map((s) => stateTone(s as Environment["state"]))).toEqual(["ok", "failed", "active", "active"]);
  });

  it("links a version's page with its name encoded", () => {
    expect(versionLink({ name: "attrition env", version: 3 })).toBe("/environments/attrition%20env/3");
  });
});
