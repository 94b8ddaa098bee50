import { describe, expect, it } from "vitest";
import { indent, INDENT, newline, scriptLanguage } from "./codeEditing";

describe("code editing keys", () => {
  it("Tab replaces the selection by an indent and puts the caret after it", () => {
    expect(indent("ab", 1, 1)).toEqual({ text: `a${INDENT}b`, caret: 1 + INDENT.length });
    expect(indent("abcd", 1, 3)).toEqual({ text: `a${INDENT}d`, caret: 1 + INDENT.length });
  });
  it("Enter keeps the line's indentation and goes one deeper after a colon", () => {
    const text = "def azureml_main(df1, df2):\n    x = 1";
    expect(newline(text, text.length, text.length)).toEqual({ text: `${text}\n    `, caret: text.length + 5 });
    const first = "def azureml_main(df1, df2):".length;
    expect(newline(text, first, first).text).toBe("def azureml_main(df1, df2):\n    \n    x = 1");
    expect(newline("select 1", 8, 8)).toEqual({ text: "select 1\n", caret: 9 });
  });
  it("tells the language from the parameter's name", () => {
    expect(["python_script", "sql_query_script", "r_script", "data"].map(scriptLanguage)).toEqual(["Python", "SQL", "R", null]);
  });
});
