import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { mockFetch } from "../../test/fetchMock";
import { renderWithProviders } from "../../test/render";
import { PortView } from "./PortView";

describe("PortView", () => {
  it("shows an evaluation's metrics as a table", async () => {
    Element.prototype.scrollIntoView = vi.fn(); // jsdom has no layout
    mockFetch(({ url }) =>
      url.startsWith("/api/jobs/eval_job/designer-ports/evaluation_results")
        ? { body: { type: "EvaluationResult", module: "evaluate_model", port: "evaluation_results", job: "eval_job", value: { left: { metrics: { Accuracy: 0.87, AUC: 0.81 }, confusion_matrix: [[1, 2], [3, 4]] } } } }
        : undefined,
    );
    renderWithProviders(<PortView job="eval_job" port={{ name: "evaluation_results", display_name: "Evaluation results", type: "EvaluationResult" }} onClose={() => undefined} />);
    const table = await screen.findByRole("table", { name: "Metrics of the left scored dataset" });
    expect(table).toHaveTextContent("Accuracy");
    expect(table).toHaveTextContent("0.87");
  });
});
