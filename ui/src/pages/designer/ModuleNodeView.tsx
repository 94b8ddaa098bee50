import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { PortSpec } from "../../api/designer";
import { StatusBadge } from "../../components/StatusBadge";
import { useCanvasInfo } from "./context";
import { isDataset, onNodeMessage, PORT_COLORS, type ModuleNode } from "./graph";

function Ports({ node, ports, kind }: { node: string; ports: PortSpec[]; kind: "input" | "output" }) {
  const { onPortMenu } = useCanvasInfo();
  return ports.map((port, i) => (
    <Handle
      key={port.name}
      id={port.name}
      type={kind === "input" ? "target" : "source"}
      position={kind === "input" ? Position.Top : Position.Bottom}
      className="port"
      style={{ left: `${((i + 1) * 100) / (ports.length + 1)}%`, background: PORT_COLORS[port.type] }}
      title={`${kind} '${port.display_name}': ${port.type}${port.optional ? " (optional)" : ""}`}
      data-port={port.name}
      aria-label={`${kind} port ${port.display_name} (${port.type})`}
      onContextMenu={
        kind === "output"
          ? (event) => {
              event.preventDefault();
              onPortMenu(node, port, event.clientX, event.clientY);
            }
          : undefined
      }
    />
  ));
}

/** A module on the canvas: its name, typed ports (coloured, with tooltips), run status and the server's problems. */
export const ModuleNodeView = memo(function ModuleNodeView({ id, data, selected }: NodeProps<ModuleNode>) {
  const { modules, problems, statuses } = useCanvasInfo();
  const spec = modules.get(data.module);
  const mine = problems.get(id) ?? [];
  const status = statuses.get(id);
  const dataset = isDataset({ data } as ModuleNode);
  const title = dataset ? String(data.parameters.asset ?? "Dataset (pick one)") : (spec?.display_name ?? data.module);
  return (
    <div
      className={`module-node${selected ? " selected" : ""}${mine.length ? " has-problems" : ""}${dataset ? " dataset" : ""}`}
      data-node={id}
      data-status={status ?? ""}
    >
      {spec && <Ports node={id} ports={spec.inputs} kind="input" />}
      <div className="module-title">{title}</div>
      <div className="module-meta">
        <span className="muted">{dataset ? "Dataset" : id}</span>
        {status && <StatusBadge status={status} />}
      </div>
      {mine.length > 0 && (
        <ul className="node-problems" role="alert">
          {mine.slice(0, 2).map((p) => (
            <li key={p.where + p.rule} title={p.message}>
              {onNodeMessage(p.message)}
            </li>
          ))}
          {mine.length > 2 && <li>and {mine.length - 2} more (see Properties)</li>}
        </ul>
      )}
      {spec && <Ports node={id} ports={spec.outputs} kind="output" />}
    </div>
  );
});
