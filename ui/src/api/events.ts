// The live event stream (server-sent events over fetch, so the workspace token goes with it) and its bounded buffer.
import { useEffect, useState } from "react";
import { send, type Schemas } from "./client";

export type CloudEvent = Schemas["CloudEvent"];
export type SseFrame = { id: string | null; event: string | null; data: string };

/** The complete frames at the start of `text` (frames end with a blank line) and what is left for the next chunk. */
export function parseFrames(text: string): { frames: SseFrame[]; rest: string } {
  const blocks = text.replace(/\r\n?/g, "\n").split("\n\n");
  const rest = blocks.pop() ?? "";
  const frames: SseFrame[] = [];
  for (const block of blocks) {
    const frame: SseFrame = { id: null, event: null, data: "" };
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue; // a comment: the keep-alive
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "data") data.push(value);
      else if (field === "id") frame.id = value;
      else if (field === "event") frame.event = value;
    }
    if (data.length) frames.push({ ...frame, data: data.join("\n") });
  }
  return { frames, rest };
}

/** `items` newest first, with the newcomers in front, cut to `max`: the view's memory stays bounded however long it runs. */
export function keepNewest<T>(items: readonly T[], newcomers: readonly T[], max: number): T[] {
  return [...[...newcomers].reverse(), ...items].slice(0, max);
}

export const EVENT_BUFFER = 500;
const RECONNECT_MS = 3000;

type StreamState = { events: CloudEvent[]; connected: boolean; error: unknown };

/** The events of the given short types (all when empty) that arrive while the view is open, newest first, at most `max`;
 * a dropped connection reconnects and resumes after the last event seen. */
export function useEventStream(types: readonly string[], max = EVENT_BUFFER): StreamState {
  const [state, setState] = useState<StreamState>({ events: [], connected: false, error: null });
  const key = types.join(",");
  useEffect(() => {
    const abort = new AbortController();
    let lastId: string | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState({ events: [], connected: false, error: null });

    const connect = async () => {
      const params = new URLSearchParams();
      if (key) params.set("type", key);
      if (lastId) params.set("since", lastId);
      try {
        const response = await send("GET", `/api/events/stream?${params}`, undefined, abort.signal);
        setState((s) => ({ ...s, connected: true, error: null }));
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        let pending = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const { frames, rest } = parseFrames(pending + value);
          pending = rest;
          if (!frames.length) continue;
          lastId = frames[frames.length - 1].id ?? lastId;
          const events = frames.map((f) => JSON.parse(f.data) as CloudEvent);
          setState((s) => ({ ...s, events: keepNewest(s.events, events, max) }));
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        setState((s) => ({ ...s, error }));
      }
      if (abort.signal.aborted) return;
      setState((s) => ({ ...s, connected: false }));
      timer = setTimeout(connect, RECONNECT_MS);
    };
    void connect();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [key, max]);
  return state;
}
