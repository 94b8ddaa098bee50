// The Test tab's form, generated from the deployment's OpenAPI document (its `Record` schema and example body).
import type { DataProfile } from "../../api/data";

export type FieldKind = "integer" | "number" | "boolean" | "select" | "text" | "any";

export interface FormField {
  name: string;
  kind: FieldKind;
  required: boolean;
  /** The known values of a categorical column (select). */
  options?: string[];
}

export type Values = Record<string, string>;
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function at(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), value);
}

function kindOf(property: Json): Pick<FormField, "kind" | "options"> {
  if (Array.isArray(property.enum)) return { kind: "select", options: property.enum.map(String) };
  switch (property.type) {
    case "integer":
      return { kind: "integer" };
    case "number":
      return { kind: "number" };
    case "boolean":
      return { kind: "boolean" };
    case "string":
      return { kind: "text" };
    default:
      return { kind: "any" }; // no type in the signature: any JSON scalar
  }
}

/** The form's fields (one per column, in the model's order) and the first record of the example body. */
export function scoringSchema(swagger: unknown): { fields: FormField[]; example: Json | null } {
  const record = at(swagger, "components", "schemas", "Record");
  const properties = at(record, "properties");
  const required = new Set((at(record, "required") as string[] | undefined) ?? []);
  const fields = isObject(properties)
    ? Object.entries(properties).map(([name, property]) => ({ name, required: required.has(name), ...kindOf(isObject(property) ? property : {}) }))
    : [];
  const rows = at(swagger, "paths", "/score", "post", "requestBody", "content", "application/json", "example", "data");
  const example = Array.isArray(rows) && isObject(rows[0]) ? rows[0] : null;
  return { fields, example };
}

/** Every value of a text column, when the profile saw them all (its value counts cover the distinct values). */
export function categoriesFromProfile(profile: DataProfile | undefined): Record<string, string[]> {
  const categories: Record<string, string[]> = {};
  for (const column of profile?.columns ?? []) {
    const counts = column.value_counts ?? [];
    if (column.type === "string" && counts.length > 0 && counts.length === column.distinct) {
      categories[column.name] = counts.map((c) => String(c.value)).sort();
    }
  }
  return categories;
}

/** Text columns whose values are known become selects. */
export function withCategories(fields: FormField[], categories: Record<string, string[]>): FormField[] {
  return fields.map((field) =>
    (field.kind === "text" || field.kind === "any") && categories[field.name] ? { ...field, kind: "select", options: categories[field.name] } : field,
  );
}

/** The inputs' text for a record (the example's values, or what the JSON editor holds). */
export function formValues(fields: FormField[], record: Json | null): Values {
  return Object.fromEntries(
    fields.map((field) => {
      const value = record?.[field.name];
      return [field.name, value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value)];
    }),
  );
}

/**
 * The record the inputs describe, typed by column. An empty input leaves its column out (the server then names a
 * required column as missing); a value that does not read as its type is sent as typed, for the server to refuse by name.
 */
export function recordOf(fields: FormField[], values: Values): Json {
  const record: Json = {};
  for (const field of fields) {
    const text = values[field.name] ?? "";
    if (text.trim() === "" && field.kind !== "text") continue;
    if (field.kind === "integer" || field.kind === "number") {
      const number = Number(text);
      record[field.name] = Number.isFinite(number) ? number : text;
    } else if (field.kind === "boolean") {
      record[field.name] = text === "true" ? true : text === "false" ? false : text;
    } else if (field.kind === "any") {
      try {
        record[field.name] = JSON.parse(text);
      } catch {
        record[field.name] = text;
      }
    } else {
      record[field.name] = text;
    }
  }
  return record;
}
