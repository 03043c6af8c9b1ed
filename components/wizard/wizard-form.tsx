"use client";
// Shared frame of a wizard page: the server action's state, the values to show (what was just typed after an
// error, else the saved draft), the form message and the Back/Next buttons.
import Link from "next/link";
import { useActionState } from "react";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

export type WizardAction = (prev: ActionState, form: FormData) => Promise<ActionState>;

export interface FieldHelpers {
  /** The value to show in a field. */
  v(name: string): string | undefined;
  /** Whether a checkbox is ticked. */
  checked(name: string): boolean;
  /** The field's errors. */
  e(name: string): string[] | undefined;
}

export function WizardForm({
  action,
  defaults,
  backHref,
  submitLabel = "Save and continue",
  children,
}: {
  action: WizardAction;
  defaults: Record<string, unknown>;
  backHref?: string;
  submitLabel?: string;
  children: (f: FieldHelpers) => React.ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const typed = state.values;
  const f: FieldHelpers = {
    v(name) {
      if (typed) return typed[name] ?? "";
      const value = name.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], defaults);
      if (value == null) return undefined;
      return Array.isArray(value) ? value.join(", ") : String(value);
    },
    checked(name) {
      if (typed) return typed[name] === "on";
      return defaults[name] === true;
    },
    e: (name) => state.errors?.[name],
  };
  return (
    <form action={formAction} className="flex flex-col gap-5" noValidate>
      {/* React resets a form after its action; selects and checkboxes would fall back to their first
          defaults. Remounting the fields with what was typed keeps every kind of field as the user left it. */}
      <div key={JSON.stringify(typed ?? null)} className="flex flex-col gap-5">
        {children(f)}
      </div>
      <FormMessage ok={state.ok} message={state.message} />
      <div className="flex gap-3">
        {backHref ? (
          <Link href={backHref} className="rounded-md border border-slate-400 px-4 py-2 text-sm hover:bg-slate-100 dark:hover:bg-slate-800">
            Back
          </Link>
        ) : null}
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
      </div>
    </form>
  );
}
