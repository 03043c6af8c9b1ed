// Local users: validation rules and the writes that create or change them.
import "server-only";
import { z } from "zod";
import type { Db } from "../db-client";
import { hashPassword } from "./password";
import { MIN_PASSWORD_LENGTH } from "./password-rules";
import { roleSchema, type Role } from "./roles";

export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/i, {
    error: "must be 2-32 letters, digits, '.', '_' or '-', starting with a letter or digit",
  });

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { error: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(256, { error: "must be at most 256 characters" });

export const newUserSchema = z.object({ username: usernameSchema, password: passwordSchema, role: roleSchema });

export class UsernameTakenError extends Error {
  constructor(username: string) {
    super(`username "${username}" is already taken`);
  }
}

export async function createUser(db: Db, input: { username: string; password: string; role: Role }) {
  const { username, password, role } = newUserSchema.parse(input);
  if (await db.user.findUnique({ where: { username } })) throw new UsernameTakenError(username);
  const passwordHash = await hashPassword(password);
  return db.user.create({ data: { username, passwordHash, role }, select: { id: true, username: true, role: true } });
}

export async function setRole(db: Db, userId: string, role: Role) {
  roleSchema.parse(role);
  return db.user.update({ where: { id: userId }, data: { role }, select: { id: true, username: true, role: true } });
}

export function countAdmins(db: Db) {
  return db.user.count({ where: { role: "admin" } });
}
