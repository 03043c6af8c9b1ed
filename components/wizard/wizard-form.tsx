"use client";
// Shared frame of a wizard page: the server action's state, the values to show (what was just typed after an
// error, else the saved draft), the form message and the Back/Next buttons.
import Link from "next/link";
import { useActionState, useState, type FormEvent } from "react";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { useFocusFirstError } from "@/components/ui/use-focus-first-error";

/** The default size cap of a wizard text box without its own (data-max-bytes). */
const TEXT_BOX_MAX_BYTES = 16_384;

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
  const [tooLarge, setTooLarge] = useState<Record<string, string[]>>({});
  const typed = state.values;
  const formRef = useFocusFirstError<HTMLFormElement>(Object.keys(tooLarge).length ? tooLarge : state.errors);
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
    e: (name) => tooLarge[name] ?? state.errors?.[name],
  };
  // Sizes are checked before sending: past Next's server-action body limit a paste would come back as a broken
  // page instead of the field's message. Fields that say how much they take (data-max-bytes) get their own rule;
  // every other text box gets a cap far above any name, ARN or list the settings accept, so the server's own
  // rule (length, characters) still names the problem for anything merely too long.
  function checkSizes(event: FormEvent<HTMLFormElement>) {
    const found: Record<string, string[]> = {};
    const boxes = event.currentTarget.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input[name]:not([type]), input[name][type=text], input[name][type=url], textarea[name], [data-max-bytes]");
    for (const el of boxes) {
      const max = el.dataset.maxBytes ? Number(el.dataset.maxBytes) : TEXT_BOX_MAX_BYTES;
      const rule = el.dataset.maxBytesRule ?? `must be at most ${max.toLocaleString("en-US")} bytes`;
      if (new TextEncoder().encode(el.value).byteLength > max) found[el.name] = [rule];
    }
    setTooLarge(found);
    if (Object.keys(found).length > 0) event.preventDefault();
  }
  return (
    <form ref={formRef} action={formAction} onSubmit={checkSizes} className="flex flex-col gap-5" noValidate>
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
