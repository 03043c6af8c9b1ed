// The vocabularies of the job store's status columns (plain strings in SQLite).

/**
 * `access`: a read-only access check (the access matrix of lib/access), on demand or after a successful apply.
 * `teardown`: deletes what the console created for the environment (lib/teardown), a step run like apply.
 * `cluster-check`, `model-copy` and `model-upload` are one-task runs (./tasks.ts).
 */
export const RUN_KINDS = ["apply", "verify", "access", "teardown", "cluster-check", "model-copy", "model-upload"] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "interrupted", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * `pending`: not started (also a dependant of a failed step: it waits, so a retry of that step continues with it).
 * `skipped`: left out of the run on purpose (`only`); its dependants use the output of an earlier run.
 */
export const STEP_STATUSES = ["pending", "running", "succeeded", "failed", "skipped", "cancelled", "interrupted"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** Runs a worker may hold; the partial unique index allows one of these per environment. */
export const ACTIVE_RUN_STATUSES = ["queued", "running"] as const satisfies readonly RunStatus[];

/** Runs that can be picked up again by resume or retry. */
export const RESUMABLE_RUN_STATUSES = ["interrupted", "failed", "cancelled"] as const satisfies readonly RunStatus[];

/** Steps that have not produced their result yet and may be (re)started. */
export const RUNNABLE_STEP_STATUSES = ["pending", "failed", "interrupted", "cancelled"] as const satisfies readonly StepStatus[];
