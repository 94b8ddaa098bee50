import { useState } from "react";
import { readSelection, writeSelection, type ColumnChoice } from "./columnSelection";

type Props = { id: string; value: unknown; columns: Record<string, string> | undefined; onChange: (value: unknown) => void };

/** Azure's column selector: the columns flowing into the node with their types, kept or dropped by ticking them. */
export function ColumnSelector({ id, value, columns, onChange }: Props) {
  const current = readSelection(value);
  const [open, setOpen] = useState(false);
  const summary = current
    ? current.mode === "include"
      ? current.columns.length ? `${current.columns.join(", ")}` : "no column selected"
      : current.columns.length ? `all columns except ${current.columns.join(", ")}` : "all columns"
    : "a rule by type or index (edit to replace it)";
  return (
    <div className="column-selector">
      <p className="small" id={`${id}-summary`}>{summary}</p>
      <button type="button" className="button small" id={id} onClick={() => setOpen(!open)} aria-expanded={open}>
        {open ? "Close column selector" : "Edit columns"}
      </button>
      {open && <ColumnDialog columns={columns} choice={current ?? { mode: "include", columns: [] }} onChange={(c) => onChange(writeSelection(c))} />}
    </div>
  );
}

function ColumnDialog({ columns, choice, onChange }: { columns: Record<string, string> | undefined; choice: ColumnChoice; onChange: (c: ColumnChoice) => void }) {
  const [filter, setFilter] = useState("");
  if (!columns) {
    return (
      <label className="field">
        Column names, comma-separated (connect the input to pick from its columns)
        <input value={choice.columns.join(", ")} onChange={(e) => onChange({ ...choice, columns: e.target.value.split(",").map((c) => c.trim()).filter(Boolean) })} />
      </label>
    );
  }
  const toggle = (name: string, on: boolean) =>
    onChange({ ...choice, columns: on ? [...choice.columns, name] : choice.columns.filter((c) => c !== name) });
  const names = Object.keys(columns).filter((n) => n.toLowerCase().includes(filter.trim().toLowerCase()));
  return (
    <div className="column-dialog" role="group" aria-label="Select columns">
      <div className="radio-row">
        {(["include", "exclude"] as const).map((mode) => (
          <label key={mode} className="radio">
            <input type="radio" checked={choice.mode === mode} onChange={() => onChange({ mode, columns: [] })} />
            {mode === "include" ? "Keep the ticked columns" : "All columns except the ticked ones"}
          </label>
        ))}
      </div>
      <input type="search" placeholder="Filter columns" aria-label="Filter columns" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <ul className="column-list">
        {names.map((name) => (
          <li key={name}>
            <label className="checkbox">
              <input type="checkbox" checked={choice.columns.includes(name)} onChange={(e) => toggle(name, e.target.checked)} />
              {name}
            </label>{" "}
            <span className="type-badge">{columns[name]}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
