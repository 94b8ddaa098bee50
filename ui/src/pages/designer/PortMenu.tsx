import { useEffect, useRef } from "react";
import type { PortSpec } from "../../api/designer";
import type { Job } from "../../api/jobs";

export type PortMenuAt = { x: number; y: number; node: string; port: PortSpec };

type Props = { at: PortMenuAt; step: Job | undefined; onVisualize: (job: string, port: PortSpec) => void; onClose: () => void };

/** The context menu of an output port (right-click): Visualize it once its step has completed. */
export function PortMenu({ at, step, onVisualize, onClose }: Props) {
  const menu = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    menu.current?.querySelector<HTMLButtonElement>("button")?.focus();
    const away = (event: Event) => {
      if (!menu.current?.contains(event.target as Node)) close.current();
    };
    const escape = (event: KeyboardEvent) => event.key === "Escape" && close.current();
    window.addEventListener("pointerdown", away);
    window.addEventListener("keydown", escape);
    return () => {
      window.removeEventListener("pointerdown", away);
      window.removeEventListener("keydown", escape);
    };
  }, []);
  const ready = step?.status === "Completed";
  return (
    <div ref={menu} className="port-menu card" role="menu" aria-label={`Output ${at.port.display_name}`} style={{ left: at.x, top: at.y }}>
      <button
        type="button"
        role="menuitem"
        className="button small ghost"
        disabled={!ready}
        onClick={() => {
          onVisualize(step!.name, at.port);
          onClose();
        }}
      >
        Visualize
      </button>
      {!ready && <p className="muted small">{step ? `Its step is ${step.status}; visualize it once it has completed.` : "Submit the pipeline first: this output is made by a run."}</p>}
    </div>
  );
}
