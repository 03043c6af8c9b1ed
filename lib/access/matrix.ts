// The access matrix of one environment: from the documents as read from AWS, every question of who may do what,
// answered offline by the IAM evaluator, with the statement that decided each answer and whether it is intended.
// Pure: no AWS calls, no database. Feed it the reads listed on AccessMatrixInput.
import { describeErrors } from "../config/environment";
import { answer } from "./answer";
import { findings } from "./findings";
import { accessMatrixInputSchema, type AccessFacts, type AccessMatrixInput } from "./input";
import { buildEdges, uniqueNodes } from "./map";
import type { Question } from "./question";
import { irsaQuestions } from "./questions/assume-irsa";
import { podIdentityQuestions } from "./questions/assume-pod-identity";
import { databaseQuestions } from "./questions/database";
import { keyQuestions, storageQuestions } from "./questions/storage";
import { unexpectedQuestions } from "./questions/unexpected";
import { ENGINE } from "./simulate";
import { bucketPolicySource, roleCaller, type RoleCaller } from "./sources";
import type { AccessMatrix, Verdict } from "./types";

/** Bad input to the matrix: the message names each field and its rule. */
export class AccessInputError extends Error {}

export function parseAccessInput(input: AccessMatrixInput): AccessFacts {
  const parsed = accessMatrixInputSchema.safeParse(input);
  if (!parsed.success) throw new AccessInputError(`access matrix input: ${describeErrors(parsed.error)}`);
  return parsed.data;
}

function assumeQuestions(facts: AccessFacts, kind: "rds" | "s3", role: RoleCaller): Question[] {
  const serviceAccounts = facts.roles[kind].serviceAccounts;
  const id = facts.identity;
  return id.kind === "irsa"
    ? irsaQuestions(facts, kind, role, serviceAccounts, id.trustScope, id.oidcIssuer)
    : podIdentityQuestions(facts, kind, role, serviceAccounts, id.associations);
}

export function accessQuestions(facts: AccessFacts, rds: RoleCaller, s3: RoleCaller): Question[] {
  const questions = [
    ...assumeQuestions(facts, "rds", rds),
    ...assumeQuestions(facts, "s3", s3),
    ...databaseQuestions(facts, rds, s3),
    ...storageQuestions(facts, s3, rds),
    ...keyQuestions(facts, s3, rds),
    ...unexpectedQuestions(facts, "rds", rds),
    ...(s3.arn !== rds.arn ? unexpectedQuestions(facts, "s3", s3) : []),
  ];
  const ids = new Set<string>();
  for (const q of questions) {
    if (ids.has(q.id)) throw new Error(`access matrix: two questions share the id ${q.id}`);
    ids.add(q.id);
  }
  return questions;
}

export async function evaluateAccessMatrix(input: AccessMatrixInput): Promise<AccessMatrix> {
  const facts = parseAccessInput(input);
  const rds = roleCaller(facts, facts.roles.rds);
  const s3 = roleCaller(facts, facts.roles.s3);
  const questions = accessQuestions(facts, rds, s3);
  const rows = await Promise.all(questions.map(answer));
  const found = findings(
    facts,
    s3.arn === rds.arn ? [rds] : [rds, s3],
    bucketPolicySource(facts),
    facts.identity.kind === "irsa" ? facts.identity.trustScope : undefined,
    { questions, rows },
  );
  const counts: Record<Verdict, number> = { pass: 0, warn: 0, fail: 0 };
  for (const r of rows) counts[r.verdict]++;
  return {
    ok: counts.fail === 0 && !found.some((f) => f.severity === "fail"),
    identity: facts.identity.kind,
    rows,
    findings: found,
    nodes: uniqueNodes(questions.flatMap((q) => [q.from, q.to])),
    edges: buildEdges(rows),
    counts,
    engine: ENGINE,
  };
}
