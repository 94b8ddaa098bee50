import { ReactFlowProvider, useNodesState } from "@xyflow/react";
import { useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import { ranDraft, useDraftVersion, useModules, useRun, type DesignerDraft } from "../../api/designer";
import { shownStatus, type Job } from "../../api/jobs";
import { ErrorMessage, Loading } from "../../components/Status";
import { StatusBadge } from "../../components/StatusBadge";
import { Canvas } from "./Canvas";
import { CanvasContext } from "./context";
import { colouredEdges, moduleTitle, openedCanvas, type ModuleNode, type Modules } from "./graph";
import { PropertiesPanel } from "./PropertiesPanel";
import { CloneForm } from "./RunHistory";
import { useRunViews } from "./runViews";
import "./designer.css";

const NO_PROBLEMS = new Map();

/** A past run of a draft, read-only: the graph as it was submitted, each node's final status, its outputs, logs and metrics. */
export default function RunPage() {
  const { job = "" } = useParams();
  const run = useRun(job);
  const modules = useModules();
  const ran = run.data && ranDraft(run.data.pipeline);
  if (run.error || modules.error) return <ErrorMessage error={run.error ?? modules.error} />;
  if (!run.data || !modules.data) return <Loading what="Opening the run" />;
  if (!ran) return <ErrorMessage error={new Error(`job ${job} ran no Designer draft`)} />;
  return <RanGraph pipeline={run.data.pipeline} steps={run.data.steps} draftName={ran.name} version={ran.version} modules={modules.data} />;
}

type RanProps = { pipeline: Job; steps: Job[]; draftName: string; version: number; modules: Modules };

function RanGraph({ draftName, version, ...rest }: RanProps) {
  const draft = useDraftVersion(draftName, version);
  if (draft.error) return <ErrorMessage error={draft.error} />;
  if (!draft.data) return <Loading what="Opening the run's graph" />;
  return (
    <ReactFlowProvider>
      <RunView draft={draft.data} {...rest} />
    </ReactFlowProvider>
  );
}

function RunView({ draft, pipeline, steps, modules }: { draft: DesignerDraft; pipeline: Job; steps: Job[]; modules: Modules }) {
  const [{ nodes: initialNodes, edges }] = useState(() => openedCanvas(draft, modules));
  // React Flow's own changes (measured sizes, selection) applied: nodes rebuilt without their measured sizes left
  // Fit View and the minimap nothing to fit once a module was selected
  const [nodes, , onNodesChange] = useNodesState<ModuleNode>(initialNodes);
  const views = useRunViews(steps, (node) => moduleTitle(modules, nodes, node));
  const { statuses, onPortMenu } = views;
  const canvasInfo = useMemo(() => ({ modules, problems: NO_PROBLEMS, statuses, onPortMenu }), [modules, statuses, onPortMenu]);
  const shownEdges = useMemo(() => colouredEdges(modules, nodes, edges), [modules, nodes, edges]);
  const [cloning, setCloning] = useState(false);
  const selected = nodes.find((n) => n.selected);
  return (
    <CanvasContext.Provider value={canvasInfo}>
      <div className="designer-page run-view" data-run={pipeline.name}>
        <div className="designer-bar">
          <h1>
            <Link to="/designer" className="muted">
              Designer
            </Link>{" "}
            /{" "}
            <Link to={`/designer/${encodeURIComponent(draft.name)}`} className="muted">
              {draft.name}
            </Link>{" "}
            / run {pipeline.name}
          </h1>
          <StatusBadge status={shownStatus(pipeline)} />
          <Link to={`/jobs/${encodeURIComponent(pipeline.name)}`} className="small">
            Job details
          </Link>
          {cloning ? (
            <CloneForm job={pipeline} onCancel={() => setCloning(false)} />
          ) : (
            <button type="button" className="button small primary" onClick={() => setCloning(true)}>
              Clone to draft
            </button>
          )}
        </div>
        <p className="muted small run-view-note" role="note">
          Read-only: version {draft.version} of {draft.name} as this run ran it. Clone it to a draft to edit it.
        </p>
        <div className="designer-body run-view-body">
          <div className="canvas" data-testid="canvas">
            <Canvas
              readOnly
              nodes={nodes}
              edges={shownEdges}
              onNodesChange={onNodesChange}
              fitView
            />
          </div>
          <PropertiesPanel
            node={selected}
            validation={undefined}
            step={selected && views.stepOf(selected.id)}
            onVisualize={views.visualize}
            onStepDetails={(tab) => selected && views.openDrawer(selected.id, tab)}
          />
        </div>
        {views.overlays}
      </div>
    </CanvasContext.Provider>
  );
}
