import { Background, Controls, MiniMap, ReactFlow, type Edge, type ReactFlowProps } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import type { ModuleNode } from "./graph";
import { ModuleNodeView } from "./ModuleNodeView";

const nodeTypes = { module: ModuleNodeView };
const FIT = { maxZoom: 1 };
const PRO = { hideAttribution: true };
const READ_ONLY = { nodesDraggable: false, nodesConnectable: false, edgesFocusable: false, deleteKeyCode: null };

type Props = ReactFlowProps<ModuleNode, Edge> & { readOnly?: boolean };

/** React Flow with the Designer's module nodes, zoom controls and a minimap. Read-only, nothing moves, connects or is
 * deleted (a drag pans the view); nodes can still be selected. */
export function Canvas({ readOnly = false, ...props }: Props) {
  return (
    <ReactFlow nodeTypes={nodeTypes} fitViewOptions={FIT} minZoom={0.1} proOptions={PRO} {...(readOnly ? READ_ONLY : {})} {...props}>
      <Background />
      <Controls position="top-right" showInteractive={!readOnly} />
      <MiniMap pannable zoomable />
    </ReactFlow>
  );
}
