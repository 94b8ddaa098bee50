import { useEffect, useRef } from "react";
import { ErrorMessage } from "../../components/Status";
import { useLogTail } from "./useLogTail";

/** The job's std_log, tailed live; it stays scrolled to the end unless the reader scrolled up. */
export function JobLogs({ name }: { name: string }) {
  const { text, done, error } = useLogTail(name);
  const box = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    if (box.current && pinned.current) box.current.scrollTop = box.current.scrollHeight;
  }, [text]);
  return (
    <>
      <p className="muted small" role="status" aria-live="polite">
        {done ? "The job has ended; this is its whole log." : "Following the log while the job runs…"}
      </p>
      <ErrorMessage error={error} />
      <pre
        ref={box}
        className="log-tail"
        tabIndex={0}
        aria-label="Job log"
        data-testid="job-log"
        onScroll={(event) => {
          const el = event.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {text || (done ? "(the log is empty)" : "")}
      </pre>
    </>
  );
}
