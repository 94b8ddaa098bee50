// Autosave of a draft: each settled edit becomes the draft's next version, saved one at a time; a version that
// another tab saved first (409) stops autosaving with a clear message instead of overwriting it.
import { ApiError } from "../../api/client";

export type SaveState =
  | { kind: "saved"; version: number }
  | { kind: "unsaved" }
  | { kind: "saving" }
  | { kind: "failed"; message: string }
  | { kind: "conflict"; message: string };

export type Autosaver<S> = {
  /** The canvas changed: save `snapshot` once edits settle (`key` tells equal snapshots apart). */
  change: (snapshot: S, key: string) => void;
  /** Save now what is unsaved; the version saved (the current one when nothing was unsaved). */
  flush: () => Promise<number>;
  dispose: () => void;
};

export const AUTOSAVE_DELAY_MS = 800;

export function createAutosaver<S>(options: {
  version: number;
  key: string;
  save: (snapshot: S, version: number) => Promise<unknown>;
  onState: (state: SaveState) => void;
  delayMs?: number;
}): Autosaver<S> {
  let version = options.version;
  let savedKey = options.key;
  let pending: { snapshot: S; key: string } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let stopped: SaveState | null = null;

  const settle = () => {
    if (stopped) return options.onState(stopped);
    options.onState(pending && pending.key !== savedKey ? { kind: "unsaved" } : { kind: "saved", version });
  };

  async function saveAll() {
    while (pending && pending.key !== savedKey && !stopped) {
      const { snapshot, key } = pending;
      options.onState({ kind: "saving" });
      try {
        await options.save(snapshot, version + 1);
        version += 1;
        savedKey = key;
      } catch (error) {
        const message = error instanceof ApiError ? error.detail : (error as Error).message;
        if (error instanceof ApiError && error.status === 409) {
          stopped = { kind: "conflict", message: `version ${version + 1} of this draft was saved elsewhere (another tab?): reload to see it; your edits here are not saved (${message})` };
        } else {
          options.onState({ kind: "failed", message });
          return;
        }
      }
    }
    settle();
  }

  function run(): Promise<void> {
    clearTimeout(timer);
    running = (running ?? Promise.resolve()).then(saveAll);
    return running;
  }

  return {
    change(snapshot, key) {
      if (stopped) return;
      pending = { snapshot, key };
      settle();
      clearTimeout(timer);
      if (key !== savedKey) timer = setTimeout(run, options.delayMs ?? AUTOSAVE_DELAY_MS);
    },
    async flush() {
      await run();
      if (stopped) throw new Error(stopped.kind === "conflict" ? stopped.message : "not saved");
      if (pending && pending.key !== savedKey) throw new Error("the draft could not be saved; see the message beside its name");
      return version;
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}
