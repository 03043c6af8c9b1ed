// One field per role or bucket the plan adopts: the admin types the resource's name to confirm taking over
// something the console did not create (lib/steps/adopt.ts). Without it the apply is refused, naming the field.
import { Field } from "@/components/ui/field";

export interface Adoption {
  /** The form field (`confirmAdopt:<name>`). */
  field: string;
  name: string;
  resource: string;
}

export function AdoptFields({ adoptions, errors, idPrefix }: { adoptions: Adoption[]; errors?: Record<string, string[]>; idPrefix: string }) {
  if (adoptions.length === 0) return null;
  return (
    <fieldset className="flex flex-col gap-3" data-testid="adopt-fields">
      <legend className="mb-1 text-sm font-medium">Adopt what the console did not create (see the adopt rows and their warnings above)</legend>
      {adoptions.map((a, i) => (
        <Field
          key={a.field}
          id={`${idPrefix}confirmAdopt-${i}`}
          label={`Type ${a.name} to adopt ${a.resource}`}
          name={a.field}
          autoComplete="off"
          errors={errors?.[a.field]}
          help="Adopting tags it as this environment's; its other policies and trust statements are kept."
        />
      ))}
    </fieldset>
  );
}
