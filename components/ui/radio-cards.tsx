// A choice among a few options (2–4) shown all at once as described cards: each option's consequence is read
// before choosing, instead of hidden inside a closed select. A fieldset with a legend, native radios (arrow
// keys move between them), each described by its help; the error is tied to the group and the first radio.
export interface RadioCardOption {
  value: string;
  label: string;
  help: React.ReactNode;
}

export function RadioCards({
  legend,
  name,
  options,
  defaultValue,
  errors,
  help,
}: {
  legend: string;
  name: string;
  options: readonly RadioCardOption[];
  defaultValue?: string;
  errors?: string[];
  help?: React.ReactNode;
}) {
  const errorId = `${name}-error`;
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby={errors?.length ? errorId : undefined}>
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      {help ? <p className="text-xs text-slate-700 dark:text-slate-300">{help}</p> : null}
      <div className="grid gap-2 sm:grid-cols-2">
        {options.map((o, i) => {
          const id = `${name}-${o.value}`;
          return (
            <label
              key={o.value}
              htmlFor={id}
              className="flex cursor-pointer items-start gap-2 rounded-md border border-slate-300 p-3 has-[:checked]:border-2 has-[:checked]:border-blue-700 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-blue-700 dark:border-slate-700"
            >
              <input
                type="radio"
                id={id}
                name={name}
                value={o.value}
                defaultChecked={defaultValue === o.value}
                aria-describedby={`${id}-help`}
                aria-invalid={i === 0 && errors?.length ? true : undefined}
                className="mt-1"
              />
              <span>
                <span className="block text-sm font-medium">{o.label}</span>
                <span id={`${id}-help`} className="block text-xs text-slate-700 dark:text-slate-300">
                  {o.help}
                </span>
              </span>
            </label>
          );
        })}
      </div>
      {errors?.length ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-400" aria-live="polite">
          {legend} {errors.join("; ")}
        </p>
      ) : null}
    </fieldset>
  );
}
