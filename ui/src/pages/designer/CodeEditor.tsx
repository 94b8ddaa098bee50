import { useLayoutEffect, useRef, type KeyboardEvent } from "react";
import { indent, newline, scriptLanguage, type Edit } from "./codeEditing";

type Props = { id: string; parameter: string; value: string; onChange: (value: string) => void; describedBy?: string };

/** A light code editor for script parameters: monospace, line numbers, Tab indents (Escape, then Tab, leaves it), Enter keeps indentation. */
export function CodeEditor({ id, parameter, value, onChange, describedBy }: Props) {
  const gutter = useRef<HTMLPreElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const caret = useRef<number | null>(null);
  const leaving = useRef(false);
  const lines = value.split("\n").length;
  useLayoutEffect(() => {
    if (caret.current === null || !area.current) return;
    area.current.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  }, [value]);
  const apply = (event: KeyboardEvent<HTMLTextAreaElement>, edit: (text: string, start: number, end: number) => Edit) => {
    event.preventDefault();
    const { selectionStart, selectionEnd } = event.currentTarget;
    const next = edit(value, selectionStart, selectionEnd);
    caret.current = next.caret;
    onChange(next.text);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    const plain = !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey;
    if (event.key === "Escape") leaving.current = true;
    else if (event.key === "Tab" && plain && !leaving.current) apply(event, indent);
    else if (event.key === "Enter" && plain) apply(event, newline);
    if (event.key !== "Escape") leaving.current = false;
  };
  const language = scriptLanguage(parameter);
  return (
    <div className="code-editor" data-language={language ?? undefined}>
      <pre ref={gutter} className="code-gutter" aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => i + 1).join("\n")}
      </pre>
      <textarea
        ref={area}
        id={id}
        className="mono"
        wrap="off"
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        rows={Math.min(24, Math.max(8, lines + 1))}
        value={value}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
      />
      {language && <span className="code-language muted small">{language}</span>}
    </div>
  );
}
