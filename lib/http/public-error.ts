// What a browser is told when something fails: the console's own message for the failures it expects (a refused
// request, a rule a setting breaks, an AWS call the console explains), and for anything else a plain sentence
// with a reference to the server log. Library internals (SQL, stack traces, file paths, Prisma's prose) stay in
// the log.
import "server-only";
import { randomBytes } from "node:crypto";
import { ZodError } from "zod";
import { describeErrors } from "../config/environment";
import { AwsCallError } from "../aws/errors";
import { ValuesLimitError, ValuesYamlError } from "../helm/errors";
// Every error lib/jobs/errors.ts exports is a refusal written for people (which run, step or field, which rule).
import * as jobErrors from "../jobs/errors";
import { IdentifierError } from "../postgres/identifiers";
import { logger } from "../log";
import { ConsoleError } from "./console-error";

export { ConsoleError };

const EXPECTED: (abstract new (...args: never[]) => Error)[] = [
  ConsoleError,
  ...Object.values(jobErrors),
  ValuesYamlError,
  ValuesLimitError,
  IdentifierError,
  AwsCallError,
];

export interface PublicError {
  message: string;
  /** A failure the console anticipated (a 4xx); false for bugs and broken dependencies (a 5xx). */
  expected: boolean;
}

/** The message to show for `error`; unexpected ones are logged with a reference the message quotes. */
export function publicError(error: unknown, doing: string, context: Record<string, unknown> = {}): PublicError {
  if (EXPECTED.some((type) => error instanceof type)) return { message: (error as Error).message, expected: true };
  if (error instanceof ZodError) return { message: describeErrors(error), expected: true };
  const reference = randomBytes(4).toString("hex");
  const detail = error instanceof Error ? { name: error.name, error: error.message, stack: error.stack } : { error: String(error) };
  logger.error(`${doing} failed`, { reference, ...context, ...detail });
  return { message: `Something went wrong while ${doing} (reference ${reference}); the details are in the server log.`, expected: false };
}
