// A checkbox with its label and an explanation tied to it.
export function CheckboxField({
  label,
  name,
  defaultChecked,
  help,
}: {
  label: string;
  name: string;
  defaultChecked?: boolean;
  help?: React.ReactNode;
}) {
  const id = `field-${name}`;
  return (
    <div className="flex items-start gap-2">
      <input id={id} name={name} type="checkbox" defaultChecked={defaultChecked} aria-describedby={help ? `${id}-help` : undefined} className="mt-1 h-4 w-4" />
      <div>
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        {help ? (
          <p id={`${id}-help`} className="text-xs text-slate-700 dark:text-slate-300">
            {help}
          </p>
        ) : null}
      </div>
    </div>
  );
}
