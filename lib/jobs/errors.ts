// The runner's expected failures, each naming the run, step or field and the rule it broke, so a server action
// can map them to a message without parsing text.

/** Another run of the environment is queued or running (enforced by a partial unique index). */
export class ActiveRunError extends Error {
  readonly name = "ActiveRunError";
  constructor(
    readonly environmentId: string,
    readonly activeRunId: string | null,
  ) {
    super(
      `Environment ${environmentId} already has an active run${activeRunId ? ` (${activeRunId})` : ""}: ` +
        "only one run per environment may be queued or running; wait for it to finish or cancel it",
    );
  }
}

/** A conditional status update matched nothing: the row was not in the expected status (someone else moved it). */
export class TransitionConflictError extends Error {
  readonly name = "TransitionConflictError";
  constructor(
    readonly what: string,
    readonly expected: readonly string[],
    readonly to: string,
  ) {
    super(`${what} cannot become ${to}: it is no longer ${expected.join(" or ")} (another worker or request moved it)`);
  }
}

export class RunNotFoundError extends Error {
  readonly name = "RunNotFoundError";
  constructor(readonly runId: string) {
    super(`Run ${runId} does not exist`);
  }
}

export class EnvironmentNotFoundError extends Error {
  readonly name = "EnvironmentNotFoundError";
  constructor(readonly environmentId: string) {
    super(`Environment ${environmentId} does not exist`);
  }
}

/** A request the runner refuses as stated (unknown step key, retrying a step that has not failed, ...). */
export class JobRequestError extends Error {
  readonly name = "JobRequestError";
}

/** Thrown inside a step (by `ctx.checkpoint`) once the run is cancelled: the step stops between actions. */
export class RunCancelledError extends Error {
  readonly name = "RunCancelledError";
  constructor(runId: string) {
    super(`Run ${runId} was cancelled`);
  }
}
