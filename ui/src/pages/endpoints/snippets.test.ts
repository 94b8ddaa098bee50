import { describe, expect, it } from "vitest";
import { curlSnippet, pythonLiteral, pythonSnippet, requestBody, rSnippet, type SnippetInput } from "./snippets";

const URL = "http://127.0.0.1:8686/api/v1/service/ibm-attrition/score";
const rows = [{ Age: 41, OverTime: "Yes", Note: "it's", Remote: false, Bonus: null }];
const hidden: SnippetInput = { url: URL, auth: "key", secret: null, rows };
const shown: SnippetInput = { ...hidden, secret: "k3y'x" };

describe("requestBody", () => {
  it("is the workshop body, one record a line, and valid JSON", () => {
    const body = requestBody([{ a: 1 }, { a: 2 }]);
    expect(body).toBe('{"data": [\n  {"a":1},\n  {"a":2}\n]}');
    expect(JSON.parse(body)).toEqual({ data: [{ a: 1 }, { a: 2 }] });
  });
});

describe("curl", () => {
  it("reads the key from the environment until it is revealed", () => {
    const snippet = curlSnippet(hidden);
    expect(snippet).toContain(`curl -X POST '${URL}'`);
    expect(snippet).toContain(`-H "Authorization: Bearer $ENDPOINT_KEY"`);
    expect(snippet).toContain(`"Note":"it'\\''s"`); // the body's quote survives the shell's single quotes
  });

  it("writes a revealed key in, quoted for the shell, and no header without auth", () => {
    expect(curlSnippet(shown)).toContain(`-H 'Authorization: Bearer k3y'\\''x'`);
    expect(curlSnippet({ ...hidden, auth: "none" })).not.toContain("Authorization");
    expect(curlSnippet({ ...hidden, auth: "token" })).toContain("$ENDPOINT_TOKEN");
  });
});

describe("python", () => {
  it("turns JSON into Python literals", () => {
    expect(pythonLiteral({ a: true, b: false, c: null, d: "x", e: 1.5 })).toBe('{"a": True, "b": False, "c": None, "d": "x", "e": 1.5}');
    expect(pythonLiteral([1, [2]])).toBe("[\n    1,\n    [\n        2,\n    ],\n]");
  });

  it("posts the body with requests and the key from os.environ or as revealed", () => {
    const snippet = pythonSnippet(hidden);
    expect(snippet).toMatch(/^import os\n\nimport requests\n/);
    expect(snippet).toContain('secret = os.environ["ENDPOINT_KEY"]');
    expect(snippet).toContain('body = {"data": [\n    {"Age": 41, "OverTime": "Yes", "Note": "it\'s", "Remote": False, "Bonus": None},\n]}');
    expect(snippet).toContain("requests.post(url, json=body, headers=headers, timeout=30)");
    expect(pythonSnippet(shown)).toContain(`secret = "k3y'x"`);
    expect(pythonSnippet(shown)).not.toContain("import os");
    expect(pythonSnippet({ ...hidden, auth: "none" })).toContain("headers = {}");
  });
});

describe("R", () => {
  it("posts the JSON body with httr and the key from Sys.getenv or as revealed", () => {
    const snippet = rSnippet(hidden);
    expect(snippet).toContain("library(httr)");
    expect(snippet).toContain("secret <- Sys.getenv('ENDPOINT_KEY')");
    expect(snippet).toContain(`body <- '{"data": [\n  {"Age":41,"OverTime":"Yes","Note":"it\\'s","Remote":false,"Bonus":null}\n]}'`);
    expect(snippet).toContain('POST(url, add_headers(Authorization = paste("Bearer", secret)), content_type_json(), body = body)');
    expect(rSnippet(shown)).toContain("secret <- 'k3y\\'x'");
    expect(rSnippet({ ...hidden, auth: "none" })).toContain("POST(url, content_type_json(), body = body)");
  });
});
