import { describe, expect, it } from "vitest";
import { itemAt, pagesFor } from "./paging";

describe("pagesFor", () => {
  it("asks for page 0 while the total is unknown or zero", () => {
    expect(pagesFor(0, 0, 100, undefined)).toEqual([0]);
    expect(pagesFor(0, 0, 100, 0)).toEqual([0]);
  });
  it("names the pages the visible rows fall in", () => {
    expect(pagesFor(0, 25, 100, 10_000)).toEqual([0]);
    expect(pagesFor(95, 120, 100, 10_000)).toEqual([0, 1]);
    expect(pagesFor(4_990, 5_010, 100, 10_000)).toEqual([49, 50]);
  });
  it("never asks past the last page", () => {
    expect(pagesFor(9_980, 10_050, 100, 10_000)).toEqual([99]);
    expect(pagesFor(0, 30, 100, 7)).toEqual([0]);
  });
});

describe("itemAt", () => {
  const pages = new Map([
    [0, ["a", "b"]],
    [3, ["g", "h"]],
  ]);
  it("finds a row in its page", () => {
    expect(itemAt(1, 2, pages)).toBe("b");
    expect(itemAt(7, 2, pages)).toBe("h");
  });
  it("is undefined while the row's page loads", () => {
    expect(itemAt(4, 2, pages)).toBeUndefined();
  });
});
