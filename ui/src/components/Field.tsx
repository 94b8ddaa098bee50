import type { ReactNode } from "react";
import { Options, type Option } from "./Options";

/** The id of a field's hint, for its control's `aria-describedby`. */
export const hintId = (id: string) => `${id}-hint`;

type Props = {
  /** The control's id: the label points at it. */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  /** Classes added to `field` (`inline-field` puts the label beside the control). */
  className?: string;
  /** The control, and anything shown under it before the hint. */
  children: ReactNode;
};

/** A labelled form control with an optional hint below it. */
export function Field({ id, label, hint, className, children }: Props) {
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <small className="hint" id={hintId(id)}>
          {hint}
        </small>
      )}
    </div>
  );
}

type SelectProps = Omit<Props, "children"> & {
  value: string | number;
  options: readonly Option[] | undefined;
  onChange: (value: string) => void;
  disabled?: boolean;
};

/** A labelled select of the given choices. */
export function SelectField({ value, options, onChange, disabled, ...field }: SelectProps) {
  return (
    <Field {...field}>
      <select id={field.id} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
        <Options options={options} />
      </select>
    </Field>
  );
}
