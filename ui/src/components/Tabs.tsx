import { useRef, type KeyboardEvent, type ReactNode } from "react";
import { useSearchParams } from "react-router";

export type Tab = { id: string; label: string };

/** The selected tab, kept in the URL's `?tab=` (the first tab when absent), and a setter. */
export function useTabParam<T extends readonly Tab[]>(tabs: T): [T[number]["id"], (id: string) => void] {
  const [search, setSearch] = useSearchParams();
  const wanted = search.get("tab");
  const current = tabs.find((t) => t.id === wanted)?.id ?? tabs[0].id;
  const select = (id: string) =>
    setSearch(
      (params) => {
        const next = new URLSearchParams(params);
        if (id === tabs[0].id) next.delete("tab");
        else next.set("tab", id);
        return next;
      },
      { replace: true },
    );
  return [current, select];
}

/** An accessible tab list (arrow keys move between tabs) and the selected tab's panel. */
export function Tabs({ label, tabs, current, onSelect, children }: { label: string; tabs: readonly Tab[]; current: string; onSelect: (id: string) => void; children: ReactNode }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKey = (event: KeyboardEvent) => {
    const move = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!move) return;
    const index = tabs.findIndex((t) => t.id === current);
    const next = tabs[(index + move + tabs.length) % tabs.length];
    onSelect(next.id);
    refs.current[next.id]?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label={label} className="tabs" onKeyDown={onKey}>
        {tabs.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={current === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={current === t.id ? 0 : -1}
            onClick={() => onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${current}`} aria-labelledby={`tab-${current}`} className="tabpanel">
        {children}
      </div>
    </>
  );
}
