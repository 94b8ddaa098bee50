// Undo/redo over the canvas's settled states (graph and layout, as one key each): an edit drops what was undone.
export type History = { past: string[]; present: string; future: string[] };

export const UNDO_LIMIT = 100;

export const startHistory = (present: string): History => ({ past: [], present, future: [] });

/** `state` as the newest step (nothing changes when it is the present one, as after an undo is applied). */
export function record(history: History, state: string): History {
  if (state === history.present) return history;
  return { past: [...history.past, history.present].slice(-UNDO_LIMIT), present: state, future: [] };
}

export function undo(history: History): History {
  if (!history.past.length) return history;
  return { past: history.past.slice(0, -1), present: history.past[history.past.length - 1], future: [history.present, ...history.future] };
}

export function redo(history: History): History {
  if (!history.future.length) return history;
  return { past: [...history.past, history.present], present: history.future[0], future: history.future.slice(1) };
}
