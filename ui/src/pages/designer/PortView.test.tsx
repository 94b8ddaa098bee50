import { fireEvent, screen, within } from "@testing-library/react";
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

  it("draws a two-class evaluation's curves and recounts its confusion matrix at the threshold chosen", async () => {
    Element.prototype.scrollIntoView = vi.fn();
    const left = {
      metrics: { Accuracy: 0.75, AUC: 0.75 },
      classes: ["No", "Yes"],
      positive_class: "Yes",
      threshold: 0.5,
      confusion_matrix: [[2, 0], [1, 1]],
      roc: { false_positive_rate: [0, 0, 0.5, 0.5, 1], true_positive_rate: [0, 0.5, 0.5, 1, 1], threshold: [1, 0.8, 0.4, 0.35, 0.1] },
      precision_recall: { recall: [0, 0.5, 1], precision: [1, 1, 0.5] },
      lift: { depth: [0, 0.25, 1], true_positives: [0, 1, 2], lift: [0, 2, 1] },
    };
    mockFetch(({ url }) => (url.startsWith("/api/jobs/eval_job/designer-ports/") ? { body: { type: "EvaluationResult", value: { left } } } : undefined));
    renderWithProviders(<PortView job="eval_job" port={{ name: "evaluation_results", display_name: "Evaluation results", type: "EvaluationResult" }} onClose={() => undefined} />);
    for (const chart of ["ROC curve", "Precision-recall curve", "Lift curve"]) expect(await screen.findByRole("img", { name: new RegExp(`^${chart}`) })).toBeInTheDocument();
    const matrix = screen.getByTestId("confusion-matrix");
    const cells = () => within(matrix).getAllByRole("cell").map((c) => c.textContent);
    expect(cells()).toEqual(["2", "0", "1", "1"]);
    fireEvent.change(screen.getByRole("slider", { name: "Threshold" }), { target: { value: "0.36" } });
    expect(cells()).toEqual(["1", "1", "1", "1"]);
    expect(screen.getByLabelText("Threshold used")).toHaveTextContent("0.4");
  });
});
