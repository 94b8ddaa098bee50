// Loaded on demand: it carries the chart library.
import { useState } from "react";
import { formatValue } from "../../components/format";
import { ConfusionTable } from "../../components/ConfusionTable";
import { diagonal, LineFigure } from "../automl/charts/LineFigure";
import { countsAt, curvePoints, type BinaryEvaluation } from "./evaluation";

const COLOR = "var(--accent)";

/** A two-class result's ROC, precision-recall and lift curves, and its confusion matrix at a chosen threshold. */
export default function BinaryCharts({ evaluation }: { evaluation: BinaryEvaluation }) {
  const { roc, precision_recall: pr, lift } = evaluation;
  return (
    <>
      <div className="evaluation-charts">
        <LineFigure
          title="ROC curve"
          x="False positive rate"
          y="True positive rate"
          description={`AUC ${formatValue(evaluation.metrics.AUC)}`}
          series={[{ name: "model", points: curvePoints(roc.false_positive_rate, roc.true_positive_rate), color: COLOR }, diagonal(0, 1)]}
        />
        <LineFigure
          title="Precision-recall curve"
          x="Recall"
          y="Precision"
          description={`precision against recall for the positive class ${evaluation.positive_class}`}
          series={[{ name: "model", points: curvePoints(pr.recall, pr.precision), color: COLOR }]}
        />
        <LineFigure
          title="Lift curve"
          x="Share of rows predicted positive"
          y="Lift"
          description="how many times more positives than a random pick, by the share of rows picked"
          series={[{ name: "model", points: curvePoints(lift.depth, lift.lift), color: COLOR }]}
        />
      </div>
      <ThresholdExplorer evaluation={evaluation} />
    </>
  );
}

function ThresholdExplorer({ evaluation }: { evaluation: BinaryEvaluation }) {
  const [wanted, setWanted] = useState(evaluation.threshold);
  const counts = countsAt(evaluation, wanted);
  const [negative, positive] = evaluation.classes;
  const labels = [negative, positive];
  return (
    <figure className="threshold-explorer">
      <figcaption>Confusion matrix</figcaption>
      <label className="inline-field">
        Threshold
        <input type="range" min={0} max={1} step={0.01} value={wanted} onChange={(e) => setWanted(e.target.valueAsNumber)} aria-label="Threshold" />
        <output aria-label="Threshold used">{formatValue(counts.threshold)}</output>
      </label>
      <p className="muted small">
        A row is predicted {positive} when its Scored Probabilities is at least the threshold (the nearest stored point of the ROC curve at or above
        the slider).
      </p>
      <ConfusionTable
        labels={labels}
        cell={(i, j) => (
          <td key={labels[j]} className="num">
            {counts.matrix[i][j]}
          </td>
        )}
      />
      <MetricsAt metrics={counts.metrics} />
    </figure>
  );
}

function MetricsAt({ metrics }: { metrics: Record<string, number> }) {
  return (
    <dl className="metrics-at" aria-label="Metrics at this threshold">
      {Object.entries(metrics).map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{formatValue(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
