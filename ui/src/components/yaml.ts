// A JSON value as block YAML, for showing documents (a schedule) the way users write them; nulls are left out.

const PLAIN = /^[A-Za-z0-9_./@$+-][A-Za-z0-9_ ./@$+(),-]*$/;
const LOOKS_TYPED = /^(true|false|null|yes|no|on|off|~|[-+]?(\d[\d_]*)?\.?\d+([eE][-+]?\d+)?)$/i;

function scalar(value: unknown): string {
  if (typeof value === "string") {
    return PLAIN.test(value) && !LOOKS_TYPED.test(value) && value.trim() === value && !value.startsWith("- ") ? value : JSON.stringify(value);
  }
  return String(value);
}

const isEmpty = (value: unknown) => value === null || value === undefined;
const isBlock = (value: unknown) =>
  typeof value === "object" && value !== null && (Array.isArray(value) ? value.some((v) => typeof v === "object" && v !== null) : Object.values(value).some((v) => !isEmpty(v)));

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(scalar).join(", ")}]`;
  if (typeof value === "object" && value !== null) return "{}";
  return scalar(value);
}

function lines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (!isBlock(item)) return [`${indent}- ${inline(item)}`];
      const [first, ...rest] = lines(item, `${indent}  `);
      return [`${indent}- ${first.trimStart()}`, ...rest];
    });
  }
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => !isEmpty(v))
    .flatMap(([key, v]) => (isBlock(v) ? [`${indent}${scalar(key)}:`, ...lines(v, `${indent}  `)] : [`${indent}${scalar(key)}: ${inline(v)}`]));
}

export function toYaml(value: Record<string, unknown>): string {
  return lines(value, "").join("\n") + "\n";
}
