import { useEffect, useState } from "react";
import { fetchLogChunk } from "../../api/jobs";

const POLL_MS = 1000;
const KEEP_CHARS = 2_000_000; // the browser keeps the log's tail, not a whole day of output

/** A job's log, growing while the job runs (GET /logs?offset=...), until the server says it is done. */
export function useLogTail(name: string) {
  const [tail, setTail] = useState({ text: "", done: false, error: null as unknown });
  useEffect(() => {
    let offset = 0;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setTail({ text: "", done: false, error: null });
    const poll = async () => {
      try {
        const chunk = await fetchLogChunk(name, offset);
        if (stopped) return;
        offset = chunk.offset;
        setTail((current) => ({ text: (current.text + chunk.text).slice(-KEEP_CHARS), done: chunk.done, error: null }));
        if (chunk.done) return;
      } catch (error) {
        if (stopped) return;
        setTail((current) => ({ ...current, error }));
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [name]);
  return tail;
}
