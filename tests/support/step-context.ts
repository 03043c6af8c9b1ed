// A StepContext for tests that records what a step logs, checkpoints and reports as progress, and a helper
// that applies steps in order the way the runner hands outputs on.
import type { EnvironmentSettings } from "@/lib/config/environment";
import type { LogLevel, Step, StepContext, StepKey, StepOutput } from "@/lib/steps/types";

export interface RecordedContext extends StepContext {
  logs: { level: LogLevel; message: string; requestId?: string }[];
  checkpoints: StepOutput[];
  progressValues: number[];
}

export function stepContext(
  env: EnvironmentSettings,
  opts: { outputs?: Partial<Record<StepKey, StepOutput>>; previous?: StepOutput; signal?: AbortSignal } = {},
): RecordedContext {
  const ctx: RecordedContext = {
    env,
    environmentName: env.name,
    outputs: opts.outputs ?? {},
    previous: opts.previous,
    signal: opts.signal ?? new AbortController().signal,
    secrets: {},
    logs: [],
    checkpoints: [],
    progressValues: [],
    async checkpoint(output) {
      ctx.checkpoints.push({ ...output });
    },
    async log(level, message, requestId) {
      ctx.logs.push({ level, message, ...(requestId ? { requestId } : {}) });
    },
    async progress(fraction) {
      ctx.progressValues.push(fraction);
    },
  };
  return ctx;
}

/** Applies `steps` in the given order, each seeing the outputs of those before it. */
export async function applySteps(
  env: EnvironmentSettings,
  steps: Step[],
  outputs: Partial<Record<StepKey, StepOutput>> = {},
): Promise<{ outputs: Partial<Record<StepKey, StepOutput>>; contexts: Partial<Record<StepKey, RecordedContext>> }> {
  const out = { ...outputs };
  const contexts: Partial<Record<StepKey, RecordedContext>> = {};
  for (const step of steps) {
    const ctx = stepContext(env, { outputs: { ...out } });
    contexts[step.key] = ctx;
    out[step.key] = await step.apply(ctx);
  }
  return { outputs: out, contexts };
}
