import { Link } from "react-router";

export const MAX_LINEAGE_DEPTH = 10;

/** The Lineage view's address around a node (`model:attrition:2`, `job:brave_tiger`). */
export const lineagePath = (node: string, depth?: number) =>
  `/lineage?${new URLSearchParams(depth === undefined ? { node } : { node, depth: String(depth) })}`;

/** "Lineage": a page's link to the graph around what it shows. */
export function LineageLink({ node }: { node: string }) {
  return (
    <Link className="button small" to={lineagePath(node)}>
      Lineage
    </Link>
  );
}
