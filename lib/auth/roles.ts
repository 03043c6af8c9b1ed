// Roles: admins change things; viewers (reviewers) read everything and change nothing.
import { z } from "zod";

export const ROLES = ["admin", "viewer"] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES, { error: "must be admin or viewer" });

export interface SessionUser {
  id: string;
  username: string;
  role: Role;
  /** After an admin's password reset: every page asks for a new password first. */
  mustChangePassword?: boolean;
}

export function isAdmin(user: Pick<SessionUser, "role"> | null | undefined): boolean {
  return user?.role === "admin";
}
