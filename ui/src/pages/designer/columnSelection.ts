// Azure's column selector JSON <-> what the selector dialog edits: a list of column names to keep or to drop.
export type ColumnChoice = { mode: "include" | "exclude"; columns: string[] };
type Rule = { ruleType: string; exclude?: boolean; columns?: string[] };
type Selection = { isFilter?: boolean; rules: Rule[] };

/** The names a selection keeps or drops, or null when its rules are of another shape (by type, by index). */
export function readSelection(value: unknown): ColumnChoice | null {
  if (value === undefined || value === null || value === "") return { mode: "include", columns: [] };
  if (Array.isArray(value)) return { mode: "include", columns: value.map(String) };
  const rules = (value as Selection).rules;
  if (!Array.isArray(rules)) return null;
  if (rules.length === 1 && rules[0].ruleType === "ColumnNames" && !rules[0].exclude) return { mode: "include", columns: rules[0].columns ?? [] };
  const [first, second] = rules;
  if (rules.length === 2 && first.ruleType === "AllColumns" && !first.exclude && second.ruleType === "ColumnNames" && second.exclude)
    return { mode: "exclude", columns: second.columns ?? [] };
  if (rules.length === 1 && first.ruleType === "AllColumns" && !first.exclude) return { mode: "exclude", columns: [] };
  return null;
}

/** Azure's selector for a choice, as the workshop's Select Columns saves it ("all columns except ..."). */
export function writeSelection(choice: ColumnChoice): Selection {
  if (choice.mode === "include") return { isFilter: true, rules: [{ ruleType: "ColumnNames", columns: choice.columns }] };
  const all = { ruleType: "AllColumns", exclude: false };
  return { isFilter: true, rules: choice.columns.length ? [all, { ruleType: "ColumnNames", exclude: true, columns: choice.columns }] : [all] };
}
