// The frame every form control shares: its label, help text and error message, with the ids the control
// points at (aria-describedby) so screen readers read help and errors with it.
export function describedBy(id: string, help: unknown, errors?: string[]): string | undefined {
  return [help ? `${id}-help` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

export function FieldFrame({
  id,
  label,
  help,
  errors,
  children,
}: {
  id: string;
  label: string;
  help?: React.ReactNode;
  errors?: string[];
  children: React.ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {children}
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

/** The look of text inputs, selects and textareas. */
export const CONTROL_CLASS =
  "rounded-md border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900 aria-[invalid=true]:border-red-700 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100";
