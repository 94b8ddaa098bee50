import { useState } from "react";

type Removal = { mutate: (name: string, options: { onSettled: () => void }) => void; reset: () => void };

/** Which row of a table is asking "really delete?" (one at a time), around a delete mutation that takes the row's name. */
export function useDeleteConfirmation(remove: Removal) {
  const [asking, setAsking] = useState<string | null>(null);
  return {
    isAsking: (name: string) => asking === name,
    ask: (name: string) => {
      remove.reset();
      setAsking(name);
    },
    cancel: () => setAsking(null),
    confirm: (name: string) => remove.mutate(name, { onSettled: () => setAsking(null) }),
  };
}

type Props = {
  /** What the row is ("compute", "datastore"): the Delete button's accessible name says it. */
  kind: string;
  name: string;
  confirmation: ReturnType<typeof useDeleteConfirmation>;
  busy: boolean;
  cancelLabel?: string;
};

/** A row's Delete button; once pressed, "Delete <name>" deletes and the other button backs out. */
export function ConfirmDelete({ kind, name, confirmation, busy, cancelLabel = "Cancel" }: Props) {
  if (!confirmation.isAsking(name)) {
    return (
      <button type="button" className="button small" onClick={() => confirmation.ask(name)} aria-label={`Delete ${kind} ${name}`}>
        Delete
      </button>
    );
  }
  return (
    <>
      <button type="button" className="button danger small" disabled={busy} onClick={() => confirmation.confirm(name)}>
        Delete {name}
      </button>{" "}
      <button type="button" className="button small" onClick={confirmation.cancel}>
        {cancelLabel}
      </button>
    </>
  );
}
