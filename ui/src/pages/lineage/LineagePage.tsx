import { Background, Controls, MiniMap, ReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { useLineage } from "../../api/lineage";
import { MAX_LINEAGE_DEPTH } from "../../components/LineageLink";
import { PageTitle } from "../../components/PageTitle";
import { ErrorMessage, Loading } from "../../components/Status";
import { KIND_LABELS, toFlow } from "./graph";
import { LineageNodeView } from "./LineageNodeView";
import "./lineage.css";

const nodeTypes = { lineage: LineageNodeView };
const DEFAULT_DEPTH = 2;
const MINIMAP_FROM = 12; // nodes: a smaller graph fits the view, where a minimap would only hide part of it

/** /lineage?node=model:attrition:2&depth=2 — the graph around a node: pan, zoom, click through, walk from another node. */
export default function LineagePage() {
  const [search, setSearch] = useSearchParams();
  const node = search.get("node") ?? "";
  const depth = Math.min(MAX_LINEAGE_DEPTH, Math.max(1, Number(search.get("depth")) || DEFAULT_DEPTH));
  const lineage = useLineage(node, depth);
  const [typed, setTyped] = useState(node);
  useEffect(() => setTyped(node), [node]);
  const flow = useMemo(() => (lineage.data ? toFlow(lineage.data) : null), [lineage.data]);
  const go = (next: { node?: string; depth?: number }) =>
    setSearch({ node: next.node ?? node, depth: String(next.depth ?? depth) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    go({ node: typed.trim() });
  };
  return (
    <section className="lineage-page">
      <PageTitle title="Lineage" />
      <form className="toolbar" onSubmit={submit} aria-label="Lineage around a node">
        <label className="inline-field">
          Node
          <input value={typed} size={36} placeholder="model:attrition:2, data:hr@latest, job:brave_tiger" onChange={(e) => setTyped(e.target.value)} />
        </label>
        <button type="submit" className="button small">
          Show
        </button>
        <label className="inline-field">
          Depth
          <input type="number" min={1} max={MAX_LINEAGE_DEPTH} value={depth} onChange={(e) => go({ depth: Number(e.target.value) || DEFAULT_DEPTH })} aria-describedby="depth-hint" />
        </label>
        <span className="muted small" id="depth-hint">
          edges followed upstream and downstream
        </span>
      </form>
      {!node && <p className="muted">Name a node, or open a data asset, job, model or endpoint and follow its “Lineage” link.</p>}
      <ErrorMessage error={lineage.error} />
      {lineage.isLoading && <Loading what="Walking the lineage" />}
      {flow && (
        <>
          <ul className="lineage-legend" aria-label="Node kinds">
            {[...new Set(flow.nodes.map((n) => n.data.kind))].map((kind) => (
              <li key={kind} className={`kind-${kind}`}>
                {KIND_LABELS[kind]}
              </li>
            ))}
            <li className="muted">
              {flow.nodes.length} nodes, {flow.edges.length} edges
            </li>
          </ul>
          <div className="lineage-canvas" data-testid="lineage-graph">
            <ReactFlow
              key={`${node}:${depth}`}
              nodes={flow.nodes}
              edges={flow.edges}
              nodeTypes={nodeTypes}
              nodesConnectable={false}
              nodesDraggable={false}
              edgesFocusable={false}
              fitView
              fitViewOptions={{ maxZoom: 1 }}
              minZoom={0.1}
              proOptions={{ hideAttribution: true }}
            >
              <Background />
              <Controls position="top-right" showInteractive={false} />
              {flow.nodes.length > MINIMAP_FROM && <MiniMap pannable zoomable nodeClassName={(n) => n.className ?? ""} />}
            </ReactFlow>
          </div>
        </>
      )}
    </section>
  );
}
