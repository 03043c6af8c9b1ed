"use client";
// Wizard page 5: the whole environment at a glance, then save and go to the plan.
import { useActionState } from "react";
import Link from "next/link";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { SETTINGS_GROUPS } from "@/lib/config/settings-labels";

/** A field's label and wizard page, so a refusal names what people saw and links where to fix it. */
const WHERE = new Map(SETTINGS_GROUPS.flatMap((g) => g.lines.map((l) => [l.key, { label: l.label, page: g.page, title: g.title }] as const)));

export function ReviewForm({ action, backHref, editBase }: { action: (prev: ActionState) => Promise<ActionState>; backHref: string; editBase: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="flex flex-col gap-3">
      {state.errors ? (
        <ul role="alert" className="list-inside list-disc text-sm text-red-700 dark:text-red-400">
          {Object.entries(state.errors).map(([field, messages]) => {
            const where = WHERE.get(field.split(".")[0]);
            return (
              <li key={field}>
                {where?.label ?? field} {messages.join("; ")}
                {where ? (
                  <>
                    {" "}
                    (<Link className="underline" href={`${editBase}/${where.page}`}>
                      fix it on “{where.title}”
                    </Link>
                    )
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      <FormMessage ok={state.ok} message={state.message} />
      <div className="flex gap-3">
        <Link href={backHref} className="rounded-md border border-slate-400 px-4 py-2 text-sm hover:bg-slate-100 dark:hover:bg-slate-800">
          Back
        </Link>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save and review the plan"}
        </Button>
      </div>
    </form>
  );
}
