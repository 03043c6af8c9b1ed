// A labelled textarea with help and error text tied to it.
import type { TextareaHTMLAttributes } from "react";

export function TextareaField({
  label,
  name,
  errors,
  help,
  ...rest
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; name: string; errors?: string[]; help?: React.ReactNode }) {
  const id = `field-${name}`;
  const describedBy = [help ? `${id}-help` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy}
        className="min-h-24 rounded-md border border-slate-400 bg-white px-3 py-2 font-mono text-xs text-slate-900 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100"
        {...rest}
      />
      {help ? (
        <p id={`${id}-help`} className="text-xs text-slate-700 dark:text-slate-300">
          {help}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700 dark:text-red-400" aria-live="polite">
          {label} {errors.join("; ")}
        </p>
      ) : null}
    </div>
  );
}
