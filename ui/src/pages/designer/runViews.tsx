import { lazy, Suspense, useCallback, useMemo, useState, type ReactNode } from "react";
import type { PortSpec } from "../../api/designer";
import { shownStatus, type Job, type ShownStatus } from "../../api/jobs";
import { PortMenu, type PortMenuAt } from "./PortMenu";
import { PortView } from "./PortView";
import type { StepTab } from "./StepDrawer";

const StepDrawer = lazy(() => import("./StepDrawer"));

export type RunViews = {
  statuses: Map<string, ShownStatus>;
  stepOf: (node: string) => Job | undefined;
  onPortMenu: (node: string, port: PortSpec, x: number, y: number) => void;
  visualize: (job: string, port: PortSpec) => void;
  openDrawer: (node: string, tab: StepTab) => void;
  /** The step drawer, the port menu and the output view, whichever is open. */
  overlays: ReactNode;
};

/** What a run adds over a canvas, in the draft editor and the read-only run view alike: each node's status, an output
 * port's menu and view (Visualize), and a node's step drawer (logs, metrics). `titleOf` names a node's module. */
export function useRunViews(steps: Job[] | undefined, titleOf: (node: string) => string): RunViews {
  const [portMenu, setPortMenu] = useState<PortMenuAt | null>(null);
  const [drawer, setDrawer] = useState<{ node: string; tab: StepTab } | null>(null);
  const [shownPort, setShownPort] = useState<{ job: string; port: PortSpec } | null>(null);
  const closeDrawer = useCallback(() => setDrawer(null), []);
  const statuses = useMemo(() => {
    const byStep = new Map<string, ShownStatus>();
    for (const step of steps ?? []) if (step.step) byStep.set(step.step, shownStatus(step));
    return byStep;
  }, [steps]);
  const stepOf = useCallback((node: string) => steps?.find((s) => s.step === node), [steps]);
  const onPortMenu = useCallback((node: string, port: PortSpec, x: number, y: number) => setPortMenu({ node, port, x, y }), []);
  const visualize = useCallback((job: string, port: PortSpec) => setShownPort({ job, port }), []);
  const drawerStep = drawer && stepOf(drawer.node);
  const overlays = (
    <>
      {drawer && drawerStep && (
        <Suspense fallback={null}>
          <StepDrawer step={drawerStep} title={titleOf(drawer.node)} tab={drawer.tab} onTab={(tab) => setDrawer({ ...drawer, tab })} onClose={closeDrawer} />
        </Suspense>
      )}
      {portMenu && <PortMenu at={portMenu} step={stepOf(portMenu.node)} onVisualize={visualize} onClose={() => setPortMenu(null)} />}
      {shownPort && <PortView key={shownPort.job + shownPort.port.name} job={shownPort.job} port={shownPort.port} onClose={() => setShownPort(null)} />}
    </>
  );
  return { statuses, stepOf, onPortMenu, visualize, openDrawer: (node, tab) => setDrawer({ node, tab }), overlays };
}
