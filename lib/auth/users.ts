// Local users: validation rules and every write that creates, changes or removes them. Usernames are
// case-insensitive (looked up and kept unique by their lower-cased `usernameKey`). Rules that protect the
// console itself (there is always an enabled admin) are checked inside the very statement that would break
// them, so two admins acting at the same moment cannot both pass the check.
import "server-only";
import { z } from "zod";
import type { Db } from "../db-client";
import { Prisma } from "../generated/prisma/client";
import { ConsoleError } from "../http/console-error";
import { passwordGate } from "./hash-gate";
import { hashPassword, verifyPassword } from "./password";
import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH, MIN_PASSWORD_LENGTH } from "./password-rules";
import { roleSchema, type Role } from "./roles";

export const usernameSchema = z
  .string()
  .trim()
  .max(MAX_USERNAME_LENGTH, { error: `must be at most ${MAX_USERNAME_LENGTH} characters`, abort: true })
  .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/i, {
    error: "must be 2-32 letters, digits, '.', '_' or '-', starting with a letter or digit",
  });

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { error: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(MAX_PASSWORD_LENGTH, { error: `must be at most ${MAX_PASSWORD_LENGTH} characters` });

export const newUserSchema = z.object({ username: usernameSchema, password: passwordSchema, role: roleSchema });

/** The key usernames are looked up and kept unique by. */
export const usernameKey = (username: string) => username.trim().toLowerCase();

export class UsernameTakenError extends ConsoleError {
  constructor(username: string) {
    super(`username "${username}" is already taken (names are case-insensitive)`);
  }
}

export class LastAdminError extends ConsoleError {
  constructor(what: string) {
    super(`The last enabled admin cannot be ${what}: make another user admin first.`);
  }
}

export class WrongPasswordError extends ConsoleError {
  constructor() {
    super("The current password is not right.");
  }
}

export class UserNotFoundError extends ConsoleError {
  constructor() {
    super("No such user.");
  }
}

const PUBLIC_FIELDS = { id: true, username: true, role: true } as const;

/** Hashing runs through the process's gate: a burst of user changes cannot exhaust memory either. */
const hash = (password: string) => passwordGate.run(() => hashPassword(password));

export async function createUser(db: Db, input: { username: string; password: string; role: Role }) {
  const { username, password, role } = newUserSchema.parse(input);
  if (await findUserByName(db, username)) throw new UsernameTakenError(username);
  const passwordHash = await hash(password);
  try {
    return await db.user.create({ data: { username, usernameKey: usernameKey(username), passwordHash, role }, select: PUBLIC_FIELDS });
  } catch (error) {
    // Two admins adding the same name at once: the unique index decides.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new UsernameTakenError(username);
    throw error;
  }
}

/** The user with this name in any case, or null. */
export function findUserByName(db: Db, username: string) {
  return db.user.findUnique({ where: { usernameKey: usernameKey(username) } });
}

/**
 * A condition true when, after the change to `userId`, some OTHER enabled admin remains (or the user is not an
 * enabled admin, so the change cannot remove the last one). Evaluated inside the UPDATE/DELETE statement itself:
 * SQLite runs one statement at a time, so of two concurrent changes the second sees the first's result.
 */
const keepsAnAdmin = (userId: string) => Prisma.sql`(
  NOT ("role" = 'admin' AND "disabledAt" IS NULL)
  OR EXISTS (SELECT 1 FROM "User" AS other WHERE other."role" = 'admin' AND other."disabledAt" IS NULL AND other."id" <> ${userId})
)`;

async function userOrThrow(db: Db, userId: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: PUBLIC_FIELDS });
  if (!user) throw new UserNotFoundError();
  return user;
}

export async function setRole(db: Db, userId: string, role: Role) {
  roleSchema.parse(role);
  const guard = role === "admin" ? Prisma.sql`1` : keepsAnAdmin(userId);
  const count = await db.$executeRaw`UPDATE "User" SET "role" = ${role}, "updatedAt" = ${new Date()} WHERE "id" = ${userId} AND ${guard}`;
  if (count === 0) {
    await userOrThrow(db, userId);
    throw new LastAdminError("made a viewer");
  }
  return userOrThrow(db, userId);
}

/** Disables a user: they cannot sign in, and every session of theirs ends. */
export async function disableUser(db: Db, userId: string) {
  const count = await db.$executeRaw`UPDATE "User" SET "disabledAt" = ${new Date()}, "updatedAt" = ${new Date()}
    WHERE "id" = ${userId} AND ${keepsAnAdmin(userId)}`;
  if (count === 0) {
    await userOrThrow(db, userId);
    throw new LastAdminError("disabled");
  }
  await endSessions(db, userId);
  return userOrThrow(db, userId);
}

export async function enableUser(db: Db, userId: string) {
  await userOrThrow(db, userId);
  return db.user.update({ where: { id: userId }, data: { disabledAt: null }, select: PUBLIC_FIELDS });
}

/** Deletes a user and (by cascade) their sessions. The audit trail keeps their name as plain text. */
export async function deleteUser(db: Db, userId: string) {
  const user = await userOrThrow(db, userId);
  const count = await db.$executeRaw`DELETE FROM "User" WHERE "id" = ${userId} AND ${keepsAnAdmin(userId)}`;
  if (count === 0) throw new LastAdminError("deleted");
  return user;
}

/** Ends every session of a user, except the one whose token digest is `except` (the caller's own). */
export async function endSessions(db: Db, userId: string, except?: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { userId, ...(except ? { tokenHash: { not: except } } : {}) } });
  return count;
}

/**
 * The signed-in user changes their own password: the current one is required; their other sessions end (a
 * stolen session does not survive the change) and a forced change is lifted.
 */
export async function changeOwnPassword(db: Db, userId: string, current: string, next: string, keepTokenHash: string) {
  passwordSchema.parse(next);
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user) throw new UserNotFoundError();
  if (!(await passwordGate.run(() => verifyPassword(current, user.passwordHash)))) throw new WrongPasswordError();
  await storePassword(db, userId, await hash(next), false);
  await endSessions(db, userId, keepTokenHash);
}

/**
 * An admin sets a temporary password for a user: all of the user's sessions end and the next sign-in must
 * choose a new password before doing anything else.
 */
export async function resetPassword(db: Db, userId: string, temporary: string) {
  passwordSchema.parse(temporary);
  const user = await userOrThrow(db, userId);
  await storePassword(db, userId, await hash(temporary), true);
  await endSessions(db, userId);
  return user;
}

async function storePassword(db: Db, userId: string, passwordHash: string, mustChangePassword: boolean) {
  await db.user.update({ where: { id: userId }, data: { passwordHash, mustChangePassword, passwordChangedAt: new Date() } });
}

/**
 * Replaces a hash made with weaker parameters by one made with today's, after a successful sign-in proved the
 * password. Conditional on the stored hash being unchanged (a password change in between wins).
 */
export async function rehashPassword(db: Db, userId: string, password: string, oldHash: string) {
  const fresh = await hash(password);
  await db.$executeRaw`UPDATE "User" SET "passwordHash" = ${fresh} WHERE "id" = ${userId} AND "passwordHash" = ${oldHash}`;
}

/** Everyone, for the Users page: no hashes. */
export function listUsers(db: Db) {
  return db.user.findMany({
    orderBy: { usernameKey: "asc" },
    select: { id: true, username: true, role: true, createdAt: true, disabledAt: true, mustChangePassword: true, _count: { select: { sessions: true } } },
  });
}
