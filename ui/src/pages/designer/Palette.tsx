import { useMemo, useState, type DragEvent } from "react";
import { DATASET_MODULE, type ModuleSpec } from "../../api/designer";
import { useDataAssets } from "../../api/data";
import type { ModuleData, Modules } from "./graph";

export const DRAG_TYPE = "application/x-modelyard-module";

function startDrag(event: DragEvent, item: ModuleData) {
  event.dataTransfer.setData(DRAG_TYPE, JSON.stringify(item));
  event.dataTransfer.effectAllowed = "move";
}

const matches = (query: string, ...texts: (string | undefined)[]) => texts.some((t) => t?.toLowerCase().includes(query));

/** Datasets, then modules by category, each dragged onto the canvas; the search filters names, descriptions and categories. */
export function Palette({ modules }: { modules: Modules }) {
  const [search, setSearch] = useState("");
  const assets = useDataAssets();
  const query = search.trim().toLowerCase();
  const categories = useMemo(() => {
    const byCategory = new Map<string, ModuleSpec[]>();
    for (const spec of modules.values()) {
      if (spec.id === DATASET_MODULE || !matches(query, spec.display_name, spec.description, spec.category)) continue;
      byCategory.set(spec.category, [...(byCategory.get(spec.category) ?? []), spec]);
    }
    return [...byCategory.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [modules, query]);
  const datasets = (assets.data ?? []).filter((a) => matches(query, a.name, a.description ?? undefined));
  return (
    <aside className="palette" aria-label="Palette">
      <input type="search" placeholder="Search modules and datasets" aria-label="Search the palette" value={search} onChange={(e) => setSearch(e.target.value)} />
      <details open>
        <summary>Datasets</summary>
        {assets.isPending && <p className="muted small">Loading…</p>}
        {assets.data && datasets.length === 0 && <p className="muted small">No dataset{query ? " matches" : " registered yet"}.</p>}
        <ul>
          {datasets.map((asset) => (
            <li
              key={asset.name}
              draggable
              data-palette-item={`dataset:${asset.name}`}
              onDragStart={(e) => startDrag(e, { module: DATASET_MODULE, parameters: { asset: `${asset.name}:${asset.version}` } })}
              title={asset.description ?? `${asset.name}, version ${asset.version}`}
            >
              <strong>{asset.name}</strong> <span className="muted">v{asset.version}</span>
            </li>
          ))}
        </ul>
      </details>
      {categories.map(([category, specs]) => (
        <details key={category + (query ? ":found" : "")} open={query !== ""}>
          <summary>{category}</summary>
          <ul>
            {specs.map((spec) => (
              <li key={spec.id} draggable data-palette-item={spec.id} onDragStart={(e) => startDrag(e, { module: spec.id, parameters: {} })} title={spec.description}>
                <strong>{spec.display_name}</strong>
                <span className="palette-description">{spec.description}</span>
              </li>
            ))}
          </ul>
        </details>
      ))}
      {query && categories.length === 0 && datasets.length === 0 && <p className="muted">Nothing matches “{search}”.</p>}
    </aside>
  );
}
