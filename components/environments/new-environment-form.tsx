"use client";
import { useActionState } from "react";
import { createEnvironment } from "@/app/(console)/environments/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function NewEnvironmentForm() {
  const [state, action, pending] = useActionState(createEnvironment, {});
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" noValidate aria-label="New environment">
      <Field
        label="New environment name"
        name="name"
        placeholder="staging"
        defaultValue={state.values?.name}
        errors={state.errors?.name}
        help="Lower-case, e.g. staging or production. Used in tags, role and bucket name suggestions and file names."
      />
      <Button type="submit" disabled={pending}>
        Create and start the wizard
      </Button>
    </form>
  );
}
