import type { CohortFilter } from "../../api/cohorts";

export type Operator = CohortFilter["operator"];
export type Scalar = boolean | number | string;
export type ModelColumn = { name: string; type: string | null };

export const OPERATORS: Operator[] = ["==", "!=", "<", "<=", ">", ">=", "in", "not in"];
// The server's numeric signature types (explain/_cohorts.py).
const NUMERIC = ["long", "integer", "double", "float"];

const isList = (operator: Operator) => operator === "in" || operator === "not in";

function scalarOf(column: ModelColumn, text: string): Scalar | string[] {
  const value = text.trim();
  if (!value) return [`a value for ${column.name}`];
  if (column.type && NUMERIC.includes(column.type)) {
    const number = Number(value);
    return Number.isFinite(number) ? number : [`${column.name} holds numbers (${column.type}); '${value}' is not one`];
  }
  if (column.type === "boolean") {
    if (value === "true" || value === "false") return value === "true";
    return [`${column.name} holds true or false; '${value}' is neither`];
  }
  return value;
}

/**
 * One filter from the builder's column, operator and typed value (comma-separated for `in` / `not in`),
 * or the message naming what is wrong with it.
 */
export function filterOf(column: ModelColumn, operator: Operator, text: string): CohortFilter | string {
  const ordering = ["<", "<=", ">", ">="].includes(operator);
  if (ordering && column.type !== null && !NUMERIC.includes(column.type)) {
    return `'${operator}' compares numbers; ${column.name} holds ${column.type} values, use == or in`;
  }
  const parts = isList(operator) ? text.split(",") : [text];
  const values: Scalar[] = [];
  for (const part of parts) {
    const value = scalarOf(column, part);
    if (Array.isArray(value)) return value[0].startsWith("a value") ? `write ${value[0]}` : value[0];
    values.push(value);
  }
  return { column: column.name, operator, value: isList(operator) ? values : values[0] };
}

function literal(text: string): Scalar {
  const quoted = /^'(.*)'$|^"(.*)"$/s.exec(text);
  if (quoted) return (quoted[1] ?? quoted[2]).replace(/\\(['"\\])/g, "$1");
  if (text === "True" || text === "False") return text === "True";
  return Number(text);
}

/**
 * The filters of an error-tree leaf from its conditions (`OverTime = 'Yes'`, `Age <= 30.5 or missing`), all of which
 * hold in the leaf. A leaf's "or missing" has no filter: the cohort keeps the rows with a value.
 */
export function filtersOfConditions(conditions: string[]): CohortFilter[] {
  return conditions.map((condition) => {
    const match = /^(.+?) (<=|>|!=|=) (.+?)( or missing)?$/s.exec(condition);
    if (!match) throw new Error(`cannot read the error tree's condition "${condition}"`);
    const operator = (match[2] === "=" ? "==" : match[2]) as Operator;
    return { column: match[1], operator, value: literal(match[3]) };
  });
}

const shown = (value: unknown) => (typeof value === "string" ? `'${value}'` : String(value));

/** A filter as people read it: `Age < 30`, `Department in ('Sales', 'R&D')`. */
export function describeFilter(filter: CohortFilter): string {
  const value = Array.isArray(filter.value) ? `(${filter.value.map(shown).join(", ")})` : shown(filter.value);
  return `${filter.column} ${filter.operator} ${value}`;
}

/** A cohort name from a leaf's conditions, within the server's name rules (letters, digits, - and _). */
export function cohortNameOf(filters: CohortFilter[]): string {
  const words = filters.map((f) => `${f.column}-${String(f.value)}`).join("-");
  return words.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "") || "cohort";
}
