// What every node of the canvas reads besides its own data (kept out of node data, which stays serialisable).
import { createContext, useContext } from "react";
import type { GraphProblem, PortSpec } from "../../api/designer";
import type { ShownStatus } from "../../api/jobs";
import type { Modules } from "./graph";

export type CanvasInfo = {
  modules: Modules;
  problems: Map<string, GraphProblem[]>;
  statuses: Map<string, ShownStatus>;
  /** Right-click on an output port (a callback here, never in node data, which stays serialisable). */
  onPortMenu: (node: string, port: PortSpec, x: number, y: number) => void;
};

export const CanvasContext = createContext<CanvasInfo>({ modules: new Map(), problems: new Map(), statuses: new Map(), onPortMenu: () => undefined });
export const useCanvasInfo = () => useContext(CanvasContext);
