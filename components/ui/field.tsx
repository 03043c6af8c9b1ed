// A labelled text input with its help and error message tied to it (aria-describedby, aria-invalid).
import type { InputHTMLAttributes } from "react";
import { CONTROL_CLASS, describedBy, FieldFrame } from "./field-frame";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  errors?: string[];
  help?: React.ReactNode;
}

export function Field({ label, name, errors, help, id, ...input }: FieldProps) {
  const fieldId = id ?? `field-${name}`;
  return (
    <FieldFrame id={fieldId} label={label} help={help} errors={errors}>
      <input
        id={fieldId}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(fieldId, help, errors)}
        className={CONTROL_CLASS}
        {...input}
      />
    </FieldFrame>
  );
}
