// A labelled <select> with help and error text tied to it, like Field.
import type { SelectHTMLAttributes } from "react";
import { CONTROL_CLASS, describedBy, FieldFrame } from "./field-frame";

interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  name: string;
  options: readonly { value: string; label: string }[];
  errors?: string[];
  help?: React.ReactNode;
}

export function SelectField({ label, name, options, errors, help, ...select }: SelectFieldProps) {
  const id = `field-${name}`;
  return (
    <FieldFrame id={id} label={label} help={help} errors={errors}>
      <select id={id} name={name} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy(id, help, errors)} className={CONTROL_CLASS} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
