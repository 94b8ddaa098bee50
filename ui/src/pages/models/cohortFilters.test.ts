import { describe, expect, it } from "vitest";
import { cohortNameOf, describeFilter, filterOf, filtersOfConditions } from "./cohortFilters";

const age = { name: "Age", type: "long" };
const department = { name: "Department", type: "string" };
const remote = { name: "Remote", type: "boolean" };

describe("filterOf", () => {
  it("types the value by the column's signature type", () => {
    expect(filterOf(age, "<", " 30 ")).toEqual({ column: "Age", operator: "<", value: 30 });
    expect(filterOf(department, "==", "Sales")).toEqual({ column: "Department", operator: "==", value: "Sales" });
    expect(filterOf(remote, "!=", "true")).toEqual({ column: "Remote", operator: "!=", value: true });
  });

  it("splits the values of in and not in on commas", () => {
    expect(filterOf(department, "in", "Sales, Research & Development")).toEqual({ column: "Department", operator: "in", value: ["Sales", "Research & Development"] });
    expect(filterOf(age, "not in", "30,40")).toEqual({ column: "Age", operator: "not in", value: [30, 40] });
  });

  it("names what is wrong with a bad value", () => {
    expect(filterOf(age, ">=", "forty")).toBe("Age holds numbers (long); 'forty' is not one");
    expect(filterOf(age, "in", "30,,40")).toBe("write a value for Age");
    expect(filterOf(remote, "==", "yes")).toBe("Remote holds true or false; 'yes' is neither");
    expect(filterOf(department, "<", "Sales")).toBe("'<' compares numbers; Department holds string values, use == or in");
  });

  it("keeps text for a column of unknown type", () => {
    expect(filterOf({ name: "x", type: null }, "==", "7")).toEqual({ column: "x", operator: "==", value: "7" });
  });
});

describe("filtersOfConditions", () => {
  it("reads the error tree's rules as filters", () => {
    expect(filtersOfConditions(["OverTime = 'Yes'", "JobRole != 'Sales Executive'", "Age <= 33.5", "MonthlyIncome > 2500 or missing"])).toEqual([
      { column: "OverTime", operator: "==", value: "Yes" },
      { column: "JobRole", operator: "!=", value: "Sales Executive" },
      { column: "Age", operator: "<=", value: 33.5 },
      { column: "MonthlyIncome", operator: ">", value: 2500 },
    ]);
  });

  it("refuses a rule it cannot read", () => {
    expect(() => filtersOfConditions(["Age between 1 and 2"])).toThrow('cannot read the error tree\'s condition "Age between 1 and 2"');
  });
});

describe("describeFilter and cohortNameOf", () => {
  it("show a filter as people read it and name a leaf's cohort", () => {
    expect(describeFilter({ column: "Department", operator: "in", value: ["Sales", "HR"] })).toBe("Department in ('Sales', 'HR')");
    expect(describeFilter({ column: "Age", operator: "<", value: 30 })).toBe("Age < 30");
    expect(cohortNameOf(filtersOfConditions(["OverTime = 'Yes'", "Age <= 33.5"]))).toBe("OverTime-Yes-Age-33-5");
  });
});
