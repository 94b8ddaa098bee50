import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { DataProfile } from "../../api/data";
import { renderWithProviders } from "../../test/render";
import { ProfileTable } from "./ProfileTable";

const profile: DataProfile = {
  rows: 1470,
  seconds: 0.5,
  computed_at: "2026-01-01T00:00:00Z",
  columns: [
    {
      name: "Age",
      type: "integer",
      type_counts: { integer: 1470 },
      count: 1470,
      non_missing: 1470,
      missing: 0,
      distinct: 43,
      min: 18,
      max: 60,
      mean: 36.92,
      std: 9.135,
      variance: 83.46,
      skewness: 0.413,
      kurtosis: -0.404,
      quantiles: { "0.1%": 18, "1%": 19, "5%": 24, "25%": 30, "50%": 36, "75%": 43, "95%": 54, "99%": 58.31, "99.9%": 60 },
      histogram: [
        { lower: 18, upper: 32, count: 500 },
        { lower: 32, upper: 46, count: 700 },
        { lower: 46, upper: 60, count: 270 },
      ],
    },
    {
      name: "Attrition",
      type: "string",
      type_counts: { string: 1470 },
      count: 1470,
      non_missing: 1470,
      missing: 0,
      distinct: 2,
      min: "No",
      max: "Yes",
      value_counts: [
        { value: "No", count: 1233 },
        { value: "Yes", count: 237 },
      ],
    },
    {
      name: "MonthlyIncome",
      type: "integer",
      type_counts: { integer: 1465, null: 3, error: 2 },
      count: 1470,
      non_missing: 1467,
      missing: 3,
      errors: 2,
      distinct: 1349,
      min: 1009,
      max: 19999,
      mean: 6502.9,
      histogram: [{ lower: 1009, upper: 19999, count: 1467 }],
    },
  ],
};

const rowNames = () =>
  within(screen.getByTestId("profile-table"))
    .getAllByRole("rowheader")
    .map((cell) => cell.textContent);

describe("ProfileTable", () => {
  it("draws a histogram for numeric columns and value-count bars for text columns", () => {
    renderWithProviders(<ProfileTable profile={profile} />);
    const age = screen.getByRole("img", { name: /Histogram of Age: 3 bins/ });
    expect(age.querySelectorAll(".recharts-bar-rectangle").length).toBe(3);
    const attrition = screen.getByRole("img", { name: /Most common values of Attrition: No 1233, Yes 237/ });
    expect(attrition.querySelectorAll(".recharts-bar-rectangle").length).toBe(2);
    expect(within(attrition).getByText("No")).toBeInTheDocument();
  });

  it("shows every statistic of a column in its row, a group at a time", async () => {
    const user = userEvent.setup();
    renderWithProviders(<ProfileTable profile={profile} />);
    const stat = (id: string) => screen.getByRole("rowheader", { name: "Age" }).closest("tr")!.querySelector(`[data-stat="${id}"]`)?.textContent;
    expect(stat("min")).toBe("18");
    expect(stat("max")).toBe("60");
    expect(stat("mean")).toBeUndefined();
    await user.click(screen.getByRole("radio", { name: "Moments" }));
    expect(stat("mean")).toBe("36.92");
    expect(stat("min")).toBeUndefined();
    await user.click(screen.getByRole("radio", { name: "Quantiles" }));
    expect(stat("q50%")).toBe("36");
    await user.click(screen.getByRole("radio", { name: "Summary" }));
    expect(within(screen.getByRole("rowheader", { name: "MonthlyIncome" }).closest("tr")!).getByText("integer 1,465 · null 3 · error 2")).toBeInTheDocument(); // values that do not parse: errors

  });

  it("sorts by a clicked header, ascending then descending, missing values last", async () => {
    const user = userEvent.setup();
    renderWithProviders(<ProfileTable profile={profile} />);
    expect(rowNames()).toEqual(["Age", "Attrition", "MonthlyIncome"]);

    await user.click(screen.getByRole("radio", { name: "Moments" }));
    await user.click(screen.getByRole("button", { name: /^Mean/ }));
    expect(rowNames()).toEqual(["Age", "MonthlyIncome", "Attrition"]);
    expect(screen.getByRole("columnheader", { name: /^Mean/ })).toHaveAttribute("aria-sort", "ascending");

    await user.click(screen.getByRole("button", { name: /^Mean/ }));
    expect(rowNames()).toEqual(["MonthlyIncome", "Age", "Attrition"]);
    expect(screen.getByRole("columnheader", { name: /^Mean/ })).toHaveAttribute("aria-sort", "descending");

    await user.click(screen.getByRole("radio", { name: "Summary" }));
    await user.click(screen.getByRole("button", { name: /^Missing/ }));
    expect(rowNames()).toEqual(["Age", "Attrition", "MonthlyIncome"]);
    await user.click(screen.getByRole("button", { name: /^Column/ }));
    await user.click(screen.getByRole("button", { name: /^Column/ }));
    expect(rowNames()).toEqual(["MonthlyIncome", "Attrition", "Age"]);
  });
});
