import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { SelectField } from "../../../components/Field";
import { ConfusionTable } from "../../../components/ConfusionTable";
import { formatValue } from "../../../components/format";
import { LineFigure, diagonal } from "./LineFigure";
import {
  calibrationPoints,
  confusionRows,
  defaultClass,
  gainsPoints,
  liftPoints,
  precisionRecallPoints,
  predictedVsTruePoints,
  residualBars,
  rocPoints,
  type ClassificationCharts,
  type RegressionCharts,
  type TrialCharts as Charts,
} from "./chartData";

const COLORS = { main: "var(--chart-bar)", micro: "#d97706", macro: "#059669" };

export function TrialCharts({ charts }: { charts: Charts }) {
  return charts.task === "classification" ? <ClassificationFigures charts={charts} /> : <RegressionFigures charts={charts} />;
}

function ClassificationFigures({ charts }: { charts: ClassificationCharts }) {
  const [cls, setCls] = useState(defaultClass(charts));
  const drawn = charts.classes.filter((c) => c in charts.roc.per_class);
  const auc = charts.roc.per_class[cls]?.auc;
  return (
    <>
      <SelectField id="chart-class" label="Class" className="inline-field" value={cls} options={drawn} onChange={setCls} />
      <div className="chart-grid">
        <LineFigure
          title="ROC curve"
          description={`class ${cls}, AUC ${formatValue(auc)}`}
          x="false positive rate"
          y="true positive rate"
          series={[
            { name: `${cls} (AUC ${formatValue(auc)})`, points: rocPoints(charts, cls), color: COLORS.main },
            { name: "micro average", points: rocPoints(charts, "micro"), color: COLORS.micro },
            { name: "macro average", points: rocPoints(charts, "macro"), color: COLORS.macro },
            diagonal(0, 1),
          ]}
        />
        <LineFigure
          title="Precision-recall curve"
          description={`class ${cls}, average precision ${formatValue(charts.precision_recall.per_class[cls]?.average_precision)}`}
          x="recall"
          y="precision"
          series={[
            { name: cls, points: precisionRecallPoints(charts, cls), color: COLORS.main },
            { name: "micro average", points: precisionRecallPoints(charts, "micro"), color: COLORS.micro },
            { name: "macro average", points: precisionRecallPoints(charts, "macro"), color: COLORS.macro },
          ]}
        />
        <LineFigure
          title="Calibration curve"
          description={`class ${cls}: observed share against mean predicted probability`}
          x="mean predicted probability"
          y="fraction of positives"
          series={[{ name: cls, points: calibrationPoints(charts, cls), color: COLORS.main }, diagonal(0, 1, "perfectly calibrated")]}
        />
        <LineFigure
          title="Cumulative gains"
          description={`class ${cls}: share of the class captured in the top-scored share of the rows`}
          x="% of rows (best scores first)"
          y="% of class captured"
          series={[{ name: cls, points: gainsPoints(charts, cls), color: COLORS.main }, diagonal(0, 100)]}
        />
        <LineFigure
          title="Lift curve"
          description={`class ${cls}: how many times better than random in the top-scored rows`}
          x="% of rows (best scores first)"
          y="lift"
          series={[
            { name: cls, points: liftPoints(charts, cls), color: COLORS.main },
            { name: "random", points: [{ x: 5, y: 1 }, { x: 100, y: 1 }], color: "var(--muted)", dashed: true },
          ]}
        />
        <ConfusionMatrix charts={charts} />
      </div>
    </>
  );
}

function ConfusionMatrix({ charts }: { charts: ClassificationCharts }) {
  const [normalized, setNormalized] = useState(false);
  const rows = confusionRows(charts);
  return (
    <figure className="chart-figure confusion">
      <figcaption>
        Confusion matrix{" "}
        <label className="checkbox small">
          <input type="checkbox" checked={normalized} onChange={(e) => setNormalized(e.target.checked)} /> Normalized
        </label>
      </figcaption>
      <ConfusionTable
        labels={charts.confusion_matrix.labels}
        cell={(i, j) => {
          const cell = rows[i].cells[j];
          return (
            <td
              key={cell.predicted}
              className="num"
              style={{ background: `color-mix(in srgb, var(--chart-bar) ${Math.round(cell.share * 70)}%, transparent)` }}
              title={`true ${cell.actual}, predicted ${cell.predicted}: ${formatValue(cell.count)} rows (${(cell.share * 100).toFixed(1)}%)`}
            >
              {normalized ? `${(cell.share * 100).toFixed(1)}%` : formatValue(cell.count)}
            </td>
          );
        }}
      />
    </figure>
  );
}

function RegressionFigures({ charts }: { charts: RegressionCharts }) {
  const points = predictedVsTruePoints(charts);
  const low = Math.min(...points.map((p) => p.x), ...points.map((p) => p.y));
  const high = Math.max(...points.map((p) => p.x), ...points.map((p) => p.y));
  const bars = residualBars(charts);
  return (
    <div className="chart-grid">
      <LineFigure
        title="Predicted vs true"
        description="mean prediction per bin of the true value, against the ideal line"
        x="true value (bin mean)"
        y="predicted value"
        series={[
          { name: "mean prediction", points, color: COLORS.main },
          { name: "mean - 1 std", points: points.map((p) => ({ x: p.x, y: p.low })), color: COLORS.macro, dashed: true },
          { name: "mean + 1 std", points: points.map((p) => ({ x: p.x, y: p.high })), color: COLORS.macro, dashed: true },
          diagonal(low, high, "ideal"),
        ]}
      />
      <figure className="chart-figure" role="img" aria-label={`Residuals histogram: mean ${formatValue(charts.residuals.mean)}, std ${formatValue(charts.residuals.std)}`}>
        <figcaption>
          Residuals (mean {formatValue(charts.residuals.mean)}, std {formatValue(charts.residuals.std)})
        </figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={bars} margin={{ top: 8, right: 12, bottom: 20, left: 4 }} barCategoryGap={1}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="centre" tickFormatter={formatValue} stroke="var(--muted)" label={{ value: "true - predicted", position: "insideBottom", offset: -12, fill: "var(--muted)" }} />
            <YAxis stroke="var(--muted)" width={44} />
            <Tooltip labelFormatter={(value) => `residual ≈ ${formatValue(value)}`} />
            <Bar dataKey="count" fill="var(--chart-bar)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
