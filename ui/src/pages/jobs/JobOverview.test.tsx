import { screen } from "@testing-library/react";
import { renderWithProviders } from "../../test/render";
import { automlSpec, commandSpec, job } from "../../test/jobs";
import { JobOverview } from "./JobOverview";

describe("JobOverview", () => {
  it("shows a command job's command and its inputs", () => {
    const spec = commandSpec({ command: "python train.py --data ${{inputs.data}}", inputs: { data: { path: "data:employeeattrition:1", mode: "download" }, n: 3 } });
    renderWithProviders(<JobOverview job={job(spec)} />);
    expect(screen.getByText("python train.py --data ${{inputs.data}}")).toBeInTheDocument();
    const inputs = screen.getByRole("table", { name: "Inputs" });
    expect(inputs).toHaveTextContent("employeeattrition:1 (data asset)");
    expect(inputs).toHaveTextContent("3");
  });

  it("shows no command and no inputs for a job whose spec has neither", () => {
    renderWithProviders(<JobOverview job={job(automlSpec())} />);
    expect(screen.queryByText("Command")).not.toBeInTheDocument();
    expect(screen.getByText("No inputs.")).toBeInTheDocument();
  });
});
