"use client";
// The cluster panel's two forms: start a task run (cluster check, model copy, model upload) and restart a
// deployment, which asks for an explicit confirmation first.
import { useActionState } from "react";
import type { ActionState } from "@/lib/auth/action";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";

type Act = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function StartTaskForm({ action, task, label }: { action: Act; task: string; label: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} aria-label={label} className="flex flex-col gap-2">
      <input type="hidden" name="task" value={task} />
      <FormMessage ok={state.ok} message={state.message} />
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Starting…" : label}
        </Button>
      </div>
    </form>
  );
}

export function RestartForm({ action, deployment }: { action: Act; deployment: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  const id = `restart-confirm-${deployment}`;
  return (
    <form action={formAction} aria-label={`Restart ${deployment}`} className="flex flex-col gap-2">
      <input type="hidden" name="deployment" value={deployment} />
      <div className="flex items-start gap-2">
        <input id={id} name="confirm" type="checkbox" className="mt-1 h-4 w-4" aria-describedby={state.errors?.confirm ? `${id}-error` : undefined} />
        <label htmlFor={id} className="text-sm">
          Replace the pods of {deployment} now (a rolling restart, like kubectl rollout restart)
        </label>
      </div>
      {state.errors?.confirm || state.errors?.deployment ? (
        <p id={`${id}-error`} className="text-sm text-red-700 dark:text-red-400" aria-live="polite">
          Confirm: {[...(state.errors.confirm ?? []), ...(state.errors.deployment ?? [])].join("; ")}
        </p>
      ) : null}
      <FormMessage ok={state.ok} message={state.message} />
      <div>
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Restarting…" : `Restart ${deployment}`}
        </Button>
      </div>
    </form>
  );
}

export function RetrainItemForm({ action, item, done, label }: { action: Act; item: string; done: boolean; label: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} aria-label={label} className="inline">
      <input type="hidden" name="item" value={item} />
      <input type="hidden" name="done" value={done ? "false" : "true"} />
      <Button type="submit" variant="secondary" disabled={pending} className="ml-2 px-2 py-0.5 text-xs">
        {done ? "Mark not done" : "Mark done"}
      </Button>
      {state.message && !state.ok ? <FormMessage ok={state.ok} message={state.message} /> : null}
    </form>
  );
}
