// Roles: admins change things; viewers (reviewers) read everything and change nothing.
import { z } from "zod";

export const ROLES = ["admin", "viewer"] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES, { error: "must be admin or viewer" });

export interface SessionUser {
  id: string;
  username: string;
  role: Role;
}

export function isAdmin(user: Pick<SessionUser, "role"> | null | undefined): boolean {
  return user?.role === "admin";
}

export class ForbiddenError extends Error {
  readonly status = 403;
  constructor(what = "this action") {
    super(`Forbidden: ${what} requires the admin role`);
  }
}

/** Throws unless the user is an admin; the single check every mutation goes through. */
export function assertAdmin(user: SessionUser, what?: string): void {
  if (!isAdmin(user)) throw new ForbiddenError(what);
}
