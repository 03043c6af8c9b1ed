// For the run's route handlers (its view and its log download): the session check and the run look-up they share.
import "server-only";
import { userOr401 } from "../auth/current";
import { getJobService } from "./service";

/** The job service and the run's view for a signed-in user, or the JSON Response to return (401/403, 404). */
export async function signedInRun(params: Promise<{ id: string }>) {
  const user = await userOr401();
  if (user instanceof Response) return user;
  const { id } = await params;
  const jobs = getJobService();
  const view = await jobs.runView(id);
  if (!view) return Response.json({ error: "no such run" }, { status: 404 });
  return { id, jobs, view };
}
