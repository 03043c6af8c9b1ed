// The retrain checklist of an environment that retrains instead of copying, with who ticked each item and when.
import type { ActionState } from "@/lib/auth/action";
import type { RetrainItemState } from "@/lib/models/retrain-tracking";
import { Time } from "@/components/ui/time";
import { RetrainItemForm } from "./cluster-forms";

export function RetrainChecklist({ items, admin, action }: { items: RetrainItemState[]; admin: boolean; action: (prev: ActionState, form: FormData) => Promise<ActionState> }) {
  const done = items.filter((i) => i.done).length;
  return (
    <section aria-labelledby="retrain-title" className="flex flex-col gap-2" data-testid="retrain-checklist">
      <h2 id="retrain-title" className="text-lg font-medium">
        Retrain checklist ({done} of {items.length} done)
      </h2>
      <ul className="flex flex-col gap-1 text-sm">
        {items.map((i) => (
          <li key={i.id} data-testid={`retrain-${i.id}`} data-done={i.done}>
            <span aria-hidden="true">{i.done ? "☑" : "☐"}</span> {i.text}
            {i.done && i.by ? (
              <span className="text-xs text-slate-700 dark:text-slate-300">
                {" "}
                (done by {i.by}, <Time value={i.at} />)
              </span>
            ) : null}
            {admin ? <RetrainItemForm action={action} item={i.id} done={i.done} label={`${i.done ? "Mark not done" : "Mark done"}: ${i.text}`} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
