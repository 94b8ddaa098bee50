import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { Link } from "react-router";
import { lineagePath } from "../../components/LineageLink";
import type { LineageFlowNode } from "./graph";

/** A node of the lineage graph: its kind, its name (a link to its page) and a detail; ⤢ walks the graph from it. */
export const LineageNodeView = memo(function LineageNodeView({ data }: NodeProps<LineageFlowNode>) {
  return (
    <div className="lineage-card" data-node={data.id} data-kind={data.kind}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="lineage-kind">
        <span>{data.kindLabel}</span>
        {!data.root && (
          <Link className="lineage-refocus nodrag" to={lineagePath(data.id)} title={`Show the lineage around ${data.label}`} aria-label={`Lineage around ${data.label}`}>
            ⤢
          </Link>
        )}
      </div>
      <div className="lineage-name" title={data.label}>
        {data.page ? (
          <Link className="nodrag" to={data.page}>
            {data.label}
          </Link>
        ) : (
          data.label
        )}
      </div>
      {data.detail && <div className="lineage-detail muted">{data.detail}</div>}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});
