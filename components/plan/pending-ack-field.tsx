// The acknowledgement of RDS's pending modifications: without it IAM authentication waits for the next
// maintenance window; with it, it is applied now together with everything listed (some restart the database).
export function PendingAckField({ pending, window, idPrefix }: { pending: string[]; window: string | null; idPrefix: string }) {
  if (pending.length === 0) return null;
  const id = `${idPrefix}acknowledgePendingModifications`;
  return (
    <div className="flex items-start gap-2" data-testid="pending-ack">
      <input id={id} name="acknowledgePendingModifications" type="checkbox" className="mt-1 h-4 w-4" aria-describedby={`${id}-help`} />
      <div>
        <label htmlFor={id} className="text-sm font-medium">
          Apply IAM authentication now, with the pending modifications: {pending.join(", ")}
        </label>
        <p id={`${id}-help`} className="text-xs text-slate-700 dark:text-slate-300">
          Some (instance class, storage, engine version) restart the database. Unticked, IAM authentication is requested for the next
          maintenance window{window ? ` (${window} UTC)` : ""} and the run waits for it; it can be resumed after a restart.
        </p>
      </div>
    </div>
  );
}
