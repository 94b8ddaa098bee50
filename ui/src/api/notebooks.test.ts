import { describe, expect, it } from "vitest";
import { jupyterLabLink } from "./notebooks";

describe("jupyterLabLink", () => {
  it("opens a file of the notebooks folder in the instance's JupyterLab, keeping its token", () => {
    expect(jupyterLabLink("http://127.0.0.1:8899/lab?token=abc", "attrition/01 train.ipynb")).toBe(
      "http://127.0.0.1:8899/lab/tree/attrition/01%20train.ipynb?token=abc",
    );
  });
});
