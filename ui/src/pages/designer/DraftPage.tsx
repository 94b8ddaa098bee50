import {
  ReactFlowProvider,
  useEdgesState,
  useNodesState,
  useReactFlow,
  type Edge,
  type FinalConnectionState,
} from "@xyflow/react";
import { useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { Link, useParams } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { designerKeys, exportDraftYaml, saveDraft, useDraft, useDraftRuns, useModules, useRun, useValidation, type DesignerDraft, type GraphProblem } from "../../api/designer";
import { ErrorMessage, Loading } from "../../components/Status";
import { createAutosaver, type Autosaver, type SaveState } from "./autosave";
import { copySelection, paste, type Copied } from "./clipboard";
import { Canvas } from "./Canvas";
import { CanvasContext } from "./context";
import { colouredEdges, connectionRefusal, edgeId, freshId, fromDraft, moduleTitle, openedCanvas, toGraph, toLayout, type Connection, type ModuleData, type ModuleNode, type Modules } from "./graph";
import { record, redo, startHistory, undo, type History } from "./history";
import { autoLayout } from "./layout";
import { DRAG_TYPE, Palette } from "./Palette";
import { PipelineParametersPanel, type ParameterEditing } from "./PipelineParametersPanel";
import {
  bindParameter,
  deleteParameter,
  nameRefusal,
  pipelineParameterRows,
  renameParameter,
  setDefault,
  unbindParameter,
  type PipelineParameters,
} from "./pipelineParameters";
import { PropertiesPanel, type Binding } from "./PropertiesPanel";
import { RunActions } from "./RunActions";
import { RunHistory } from "./RunHistory";
import { useRunViews } from "./runViews";
import { SubmitBar } from "./SubmitBar";
import { useDebounced } from "./useDebounced";
import "./designer.css";

type Snapshot = { graph: ReturnType<typeof toGraph>; layout: ReturnType<typeof toLayout> };

/** A Designer draft: palette, canvas and properties; saved as it is edited, submitted as a pipeline. */
export default function DraftPage() {
  const { name = "" } = useParams();
  const draft = useDraft(name);
  const modules = useModules();
  if (draft.error || modules.error) return <ErrorMessage error={draft.error ?? modules.error} />;
  if (!draft.data || !modules.data) return <Loading what="Opening the pipeline" />;
  return (
    <ReactFlowProvider>
      <DraftEditor key={name} draft={draft.data} modules={modules.data} />
    </ReactFlowProvider>
  );
}

function SaveIndicator({ state }: { state: SaveState }) {
  const text = {
    saved: state.kind === "saved" && `Saved (version ${state.version})`,
    unsaved: "Unsaved changes",
    saving: "Saving…",
    failed: state.kind === "failed" && `Not saved: ${state.message}`,
    conflict: state.kind === "conflict" && state.message,
  }[state.kind];
  return (
    <span className={`save-state ${state.kind}`} data-save-state={state.kind} role={state.kind === "conflict" ? "alert" : "status"}>
      {text}
    </span>
  );
}

type HandleRef = { nodeId: string; id?: string | null; type: "source" | "target" };

/** The port under the pointer where a connection was dropped (React Flow names it only when it was close enough in time). */
function handleUnder(event: MouseEvent | TouchEvent): HandleRef | null {
  const point = "changedTouches" in event ? event.changedTouches[0] : event;
  const element = document.elementFromPoint(point.clientX, point.clientY)?.closest<HTMLElement>(".react-flow__handle");
  if (!element?.dataset.nodeid) return null;
  return { nodeId: element.dataset.nodeid, id: element.dataset.handleid, type: element.classList.contains("source") ? "source" : "target" };
}

function DraftEditor({ draft, modules }: { draft: DesignerDraft; modules: Modules }) {
  const initial = useMemo(() => openedCanvas(draft, modules), [draft, modules]);
  const [nodes, setNodes, onNodesChange] = useNodesState<ModuleNode>(initial.nodes);
  const [edges, setEdges, onEdgesChange] = useEdgesState<Edge>(initial.edges);
  const { screenToFlowPosition, fitView } = useReactFlow();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [saveState, setSaveState] = useState<SaveState>({ kind: "saved", version: draft.version });
  const [runName, setRunName] = useState<string | null>(null);
  const [parameters, setPipelineParameters] = useState<PipelineParameters>(draft.graph.parameters ?? {});
  const autosaver = useRef<Autosaver<Snapshot> | null>(null);
  const [history, setHistory] = useState<History>(() => startHistory(JSON.stringify({ graph: toGraph(initial.nodes, initial.edges, draft.graph.parameters), layout: toLayout(initial.nodes) })));

  const graphKey = JSON.stringify(toGraph(nodes, edges, parameters));
  const layoutKey = JSON.stringify(toLayout(nodes));
  const dragging = nodes.some((n) => n.dragging);
  useEffect(() => {
    const saver = createAutosaver<Snapshot>({
      version: draft.version,
      key: JSON.stringify(toGraph(initial.nodes, initial.edges, draft.graph.parameters)) + JSON.stringify(toLayout(initial.nodes)),
      save: (s, version) => saveDraft(draft.name, version, s.graph, s.layout),
      onState: setSaveState,
    });
    autosaver.current = saver;
    return () => saver.dispose();
  }, [draft, initial]);
  useEffect(() => {
    if (dragging) return;
    autosaver.current?.change({ graph: JSON.parse(graphKey), layout: JSON.parse(layoutKey) }, graphKey + layoutKey);
    setHistory((h) => record(h, JSON.stringify({ graph: JSON.parse(graphKey), layout: JSON.parse(layoutKey) })));
  }, [graphKey, layoutKey, dragging]);
  const travel = (step: (h: History) => History) => {
    const next = step(history);
    if (next === history) return;
    setHistory(next);
    const snapshot = JSON.parse(next.present) as Snapshot;
    const restored = fromDraft(snapshot);
    setNodes(restored.nodes);
    setEdges(restored.edges);
    setPipelineParameters(snapshot.graph.parameters ?? {});
  };
  const clipboard = useRef<{ copied: Copied; pasted: number } | null>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing = (event.target as HTMLElement).closest?.("input, textarea, select");
      const key = event.key.toLowerCase();
      if (typing || !(event.ctrlKey || event.metaKey) || !["z", "y", "c", "v"].includes(key)) return;
      event.preventDefault();
      if (key === "c") {
        const copied = copySelection(nodes, edges);
        if (copied) clipboard.current = { copied, pasted: 0 };
      } else if (key === "v") {
        if (!clipboard.current) return;
        clipboard.current.pasted += 1; // each paste lands one offset further, not on the previous one
        const result = paste(nodes, edges, clipboard.current.copied, clipboard.current.pasted);
        setNodes(result.nodes);
        setEdges(result.edges);
      } else travel(key === "y" || event.shiftKey ? redo : undo);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const checkedKey = useDebounced(graphKey, 400);
  const validation = useValidation(useMemo(() => JSON.parse(checkedKey), [checkedKey]));
  const problems = useMemo(() => {
    const byNode = new Map<string, GraphProblem[]>();
    for (const p of validation.data?.problems ?? []) if (p.node) byNode.set(p.node, [...(byNode.get(p.node) ?? []), p]);
    return byNode;
  }, [validation.data]);
  const graphProblems = (validation.data?.problems ?? []).filter((p) => !p.node);

  const client = useQueryClient();
  const runs = useDraftRuns(draft.name);
  const [historyOpen, setHistoryOpen] = useState(false);
  const shownRun = runName ?? runs.data?.[0]?.name ?? null; // the latest run until another is picked
  const run = useRun(shownRun);
  const onSubmitted = (job: string) => {
    setRunName(job);
    void client.invalidateQueries({ queryKey: designerKeys.runs(draft.name) });
  };
  const views = useRunViews(run.data?.steps, (node) => moduleTitle(modules, nodes, node));
  const { statuses, onPortMenu } = views;
  const canvasInfo = useMemo(() => ({ modules, problems, statuses, onPortMenu }), [modules, problems, statuses, onPortMenu]);

  const shownEdges = useMemo(() => colouredEdges(modules, nodes, edges), [modules, nodes, edges]);
  const refusalOf = (c: Connection) => connectionRefusal(modules, nodes, edges, c);
  const onConnect = (c: Connection) => {
    const why = refusalOf(c);
    setRefusal(why);
    if (!why) setEdges((es) => [...es, { ...c, id: edgeId(c) } as Edge]);
  };
  const onConnectEnd = (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    const toHandle = state.toHandle ?? handleUnder(event);
    if (state.isValid || !state.fromHandle || !toHandle) return;
    const [from, to] = state.fromHandle.type === "source" ? [state.fromHandle, toHandle] : [toHandle, state.fromHandle];
    setRefusal(refusalOf({ source: from.nodeId, sourceHandle: from.id, target: to.nodeId, targetHandle: to.id }));
  };
  const onDrop = (event: DragEvent) => {
    const raw = event.dataTransfer.getData(DRAG_TYPE);
    if (!raw) return;
    event.preventDefault();
    const item = JSON.parse(raw) as ModuleData;
    const position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
    setNodes((ns) => [
      ...ns.map((n) => ({ ...n, selected: false })),
      { id: freshId(item.module, ns.map((n) => n.id)), type: "module", position, data: item, selected: true },
    ]);
  };
  const setParameters = (id: string, parameters: Record<string, unknown>) =>
    setNodes((ns) => ns.map((n) => (n.id === id ? { ...n, data: { ...n.data, parameters } } : n)));
  const deleteNode = (id: string) => {
    setNodes((ns) => ns.filter((n) => n.id !== id));
    setEdges((es) => es.filter((e) => e.source !== id && e.target !== id));
  };
  const parameterRows = useMemo(() => pipelineParameterRows(modules, nodes, parameters), [modules, nodes, parameters]);
  const apply = (change: { nodes: ModuleNode[]; parameters: PipelineParameters }) => {
    setNodes(change.nodes);
    setPipelineParameters(change.parameters);
  };
  const parameterEditing: ParameterEditing = {
    refusal: (name) => nameRefusal(name, parameters, nodes),
    onAdd: (name) => setPipelineParameters((ps) => setDefault(ps, name, null)),
    onRename: (from, to) => apply(renameParameter({ nodes, parameters }, from, to)),
    onDelete: (name) => apply(deleteParameter({ nodes, parameters }, name)),
    onDefault: (name, value) => setPipelineParameters((ps) => setDefault(ps, name, value)),
  };
  const binding: Binding = {
    parameters,
    refusal: (name) => (name in parameters ? null : nameRefusal(name, parameters, nodes)),
    onBind: (id, key, name, current) => apply(bindParameter({ nodes, parameters }, id, key, name, current)),
    onUnbind: (id, key) => setNodes(unbindParameter({ nodes, parameters }, id, key)),
  };
  const [exportError, setExportError] = useState<unknown>(null);
  const exportYaml = async () => {
    setExportError(null);
    try {
      await exportDraftYaml(draft.name, await autosaver.current!.flush());
    } catch (failure) {
      setExportError(failure);
    }
  };
  const selected = nodes.filter((n) => n.selected);
  const selectedNode = selected.length === 1 ? selected[0] : undefined;

  return (
    <CanvasContext.Provider value={canvasInfo}>
      <div className="designer-page">
        <div className="designer-bar">
          <h1>
            <Link to="/designer" className="muted">
              Designer
            </Link>{" "}
            / {draft.name}
          </h1>
          <SaveIndicator state={saveState} />
          <button
            type="button"
            className="button small"
            onClick={() => {
              setNodes((ns) => autoLayout(ns, edges));
              setTimeout(() => fitView({ duration: 200 }), 0);
            }}
          >
            Auto-layout
          </button>
          <button type="button" className="button small" onClick={() => travel(undo)} disabled={!history.past.length} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" className="button small" onClick={() => travel(redo)} disabled={!history.future.length} title="Redo (Ctrl+Shift+Z)">
            Redo
          </button>
          <button type="button" className="button small" onClick={exportYaml} title="Download the pipeline as a YAML file (modelyard job create -f runs it)">
            Export YAML
          </button>
          <SubmitBar draftName={draft.name} save={() => autosaver.current!.flush()} onSubmitted={onSubmitted} run={run.data?.pipeline} parameters={parameterRows} />
        </div>
        <RunActions
          draft={draft}
          run={run.data?.pipeline}
          canvasVersion={saveState.kind === "saved" ? saveState.version : null}
          runCount={runs.data?.length ?? 0} save={() => autosaver.current!.flush()} onHistory={() => setHistoryOpen((o) => !o)}
          parameters={parameterRows} />
        <ErrorMessage error={exportError} title="Not exported" />
        {refusal && (
          <div className="error" role="alert" data-testid="connection-refused">
            <strong>Connection refused</strong>
            <span className="error-detail">{refusal}</span>
            <button type="button" className="button small ghost" onClick={() => setRefusal(null)}>
              Dismiss
            </button>
          </div>
        )}
        {graphProblems.filter((p) => !p.where.startsWith("parameters.")).map((p) => (
          <p key={p.where + p.rule} className="error-inline">
            {p.message}
          </p>
        ))}
        <div className="designer-body">
          <Palette modules={modules} />
          <div className="canvas" onDrop={onDrop} onDragOver={(e) => e.preventDefault()} data-testid="canvas">
            <Canvas
              nodes={nodes}
              edges={shownEdges}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              onConnectEnd={onConnectEnd}
              isValidConnection={(c) => refusalOf(c) === null}
              deleteKeyCode={["Backspace", "Delete"]}
              multiSelectionKeyCode={["Shift", "Meta", "Control"]} // shift-click adds to the selection; shift-drag draws a box
              fitView={initial.nodes.length > 0} // fitting an empty canvas would move it under the first drop
            />
            {nodes.length === 0 && <p className="canvas-hint muted">Drag a dataset or a module from the palette onto the canvas</p>}
          </div>
          <PropertiesPanel
            node={selectedNode}
            validation={validation.data}
            step={selectedNode && views.stepOf(selectedNode.id)}
            onParameters={setParameters}
            onDelete={deleteNode}
            onVisualize={views.visualize}
            onStepDetails={(tab) => selectedNode && views.openDrawer(selectedNode.id, tab)}
            binding={binding}
          >
            <PipelineParametersPanel
              rows={parameterRows}
              problems={graphProblems}
              moduleTitle={(id) => moduleTitle(modules, nodes, id)}
              editing={parameterEditing}
            />
          </PropertiesPanel>
        </div>
        {views.overlays}
        {historyOpen && <RunHistory runs={runs.data ?? []} shown={shownRun} onShow={setRunName} onClose={() => setHistoryOpen(false)} />}
      </div>
    </CanvasContext.Provider>
  );
}
