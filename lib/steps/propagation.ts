// IAM is eventually consistent: a principal just created (the OIDC provider, a role) is not known everywhere at
// once. CreateRole naming a provider created moments ago, PutRolePolicy on a role created moments ago and a
// bucket policy naming a new role are refused for a short while. Those refusals, and only those, are retried with
// a pause, a bounded number of times, each logged as propagation; anything else fails at once.
import { AwsCallError } from "../aws/errors";
import { sleep } from "./sleep";
import type { ExecuteContext } from "./types";

export interface RetryPolicy {
  delayMs: number;
  /** Retries after the first try. */
  retries: number;
}

/** 5 s × 12 (a minute) by default; `AWS_PROPAGATION_RETRY_MS` shortens the pause (tests, emulators). */
export function propagationRetry(): RetryPolicy {
  const raw = Number(process.env.AWS_PROPAGATION_RETRY_MS);
  return { delayMs: Number.isFinite(raw) && raw >= 0 && process.env.AWS_PROPAGATION_RETRY_MS ? raw : 5_000, retries: 12 };
}

/** IAM or S3 does not know a principal the document names yet ("Invalid principal in policy"). */
export const unknownPrincipal = (e: AwsCallError) => /^Malformed(Policy|PolicyDocument)(Exception)?$/.test(e.code ?? "") && /principal/i.test(e.message);

/** The role created moments ago is not visible to this call yet. */
export const roleNotVisibleYet = (e: AwsCallError) => e.code === "NoSuchEntity" || e.code === "NoSuchEntityException";

export async function whilePropagating<T>(
  ctx: Pick<ExecuteContext, "log" | "signal">,
  what: string,
  call: () => Promise<T>,
  isPropagation: (e: AwsCallError) => boolean,
  policy: RetryPolicy = propagationRetry(),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof AwsCallError) || !isPropagation(err) || attempt > policy.retries) throw err;
      await ctx.log(
        "info",
        `${what}: not known everywhere yet (IAM propagation: ${err.code}); retrying in ${policy.delayMs / 1000}s (retry ${attempt} of ${policy.retries})`,
        err.requestId,
      );
      await sleep(policy.delayMs, ctx.signal);
    }
  }
}
