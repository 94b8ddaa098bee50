import { useState } from "react";

export function CodeBlock({ code, label }: { code: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <figure className="code-block">
      <figcaption>
        <span>{label}</span>
        <button type="button" className="button ghost small" onClick={copy} aria-label={`Copy the ${label} snippet`}>
          {copied ? "Copied" : "Copy"}
        </button>
      </figcaption>
      <pre tabIndex={0} aria-label={`${label} snippet`}>
        <code>{code}</code>
      </pre>
    </figure>
  );
}
