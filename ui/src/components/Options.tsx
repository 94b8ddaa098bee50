/** A choice of a select: a plain value is its own label. */
export type Option = string | number | { value: string | number; label: string | number };

/** The <option>s of a select (none while the choices are loading). */
export function Options({ options }: { options: readonly Option[] | undefined }) {
  return (options ?? []).map((option) => {
    const { value, label } = typeof option === "object" ? option : { value: option, label: option };
    return (
      <option key={value} value={value}>
        {label}
      </option>
    );
  });
}
