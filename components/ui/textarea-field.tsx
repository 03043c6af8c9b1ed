// A labelled textarea with help and error text tied to it, like Field.
import type { TextareaHTMLAttributes } from "react";
import { CONTROL_CLASS, describedBy, FieldFrame } from "./field-frame";

export function TextareaField({
  label,
  name,
  errors,
  help,
  ...rest
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; name: string; errors?: string[]; help?: React.ReactNode }) {
  const id = `field-${name}`;
  return (
    <FieldFrame id={id} label={label} help={help} errors={errors}>
      <textarea
        id={id}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, help, errors)}
        className={`${CONTROL_CLASS} min-h-24 font-mono text-xs`}
        {...rest}
      />
    </FieldFrame>
  );
}
