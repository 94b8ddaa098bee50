import { screen, within } from "@testing-library/react";
import { renderWithProviders } from "../../test/render";
import { EnsembleMembers } from "./EnsembleMembers";

describe("EnsembleMembers", () => {
  it("lists each member with its weight, linking to the member's trial, then the ensemble's settings", () => {
    renderWithProviders(
      <EnsembleMembers
        runName="hr_run"
        members={[
          { trial_id: "trial_3", weight: 0.6666666667 },
          { trial_id: "trial_7", weight: 0.3333333333 },
        ]}
        settings={{ iterations: 25, selection: "greedy" }}
      />,
    );
    const table = screen.getByRole("table", { name: "Ensemble members and weights" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByRole("link", { name: "trial_3" })).toHaveAttribute("href", "/automl/runs/hr_run/trials/trial_3");
    expect(rows[0]).toHaveTextContent("0.6667");
    expect(within(rows[1]).getByRole("link", { name: "trial_7" })).toBeInTheDocument();
    expect(screen.getByRole("table", { name: "Ensemble settings" })).toHaveTextContent("greedy");
  });
});
