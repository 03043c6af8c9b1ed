// The environment page's access section, loaded on its own: the newest finished access run of the environment,
// and for admins the form that starts one.
import type { ActionState } from "@/lib/auth/action";
import { latestAccessProof } from "@/lib/environments/access";
import { AccessSection } from "./access-section";
import { CheckAccessForm } from "./check-access-form";

export async function EnvironmentAccess({
  environmentId,
  checkAction,
}: {
  environmentId: string;
  /** Admins only: starts an access run. */
  checkAction?: (prev: ActionState) => Promise<ActionState>;
}) {
  const proof = await latestAccessProof(environmentId);
  return <AccessSection proof={proof} controls={checkAction ? <CheckAccessForm action={checkAction} /> : undefined} />;
}
