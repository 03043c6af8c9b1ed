// /users — who can use the console. Admins add users, set roles, reset passwords, disable, enable and delete
// users and end their sessions; viewers see the list only.
import Link from "next/link";
import { db } from "@/lib/db";
import { requireUser } from "@/lib/auth/current";
import { isAdmin } from "@/lib/auth/roles";
import { listUsers } from "@/lib/auth/users";
import { Cell, Row, Table } from "@/components/ui/table";
import { AddUserForm } from "./add-user-form";
import { RoleForm } from "./role-form";
import { UserManagement } from "./user-management";

export const dynamic = "force-dynamic";
export const metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requireUser("/users");
  const admin = isAdmin(me);
  const users = await listUsers(db);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Users</h1>
      {admin ? (
        <section aria-labelledby="add-user" className="rounded-lg border border-slate-300 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
          <h2 id="add-user" className="mb-3 text-lg font-medium">
            Add a user
          </h2>
          <AddUserForm />
        </section>
      ) : null}
      <Table columns={admin ? ["Username", "Role", "State", "Added", "Manage"] : ["Username", "Role", "State", "Added"]}>
        {users.map((u) => {
          const state = u.disabledAt ? "disabled" : u.mustChangePassword ? "must choose a new password" : `${u._count.sessions} session(s)`;
          return (
            <Row key={u.id}>
              <Cell className="font-medium">{u.username}</Cell>
              <Cell>{admin && u.id !== me.id ? <RoleForm userId={u.id} username={u.username} role={u.role} /> : u.role}</Cell>
              <Cell>
                <span data-testid={`user-state-${u.username}`}>{state}</span>
              </Cell>
              <Cell>{u.createdAt.toISOString().slice(0, 10)}</Cell>
              {admin ? (
                <Cell>
                  {u.id === me.id ? (
                    <Link className="underline" href="/account/password">
                      Change your password
                    </Link>
                  ) : (
                    <UserManagement userId={u.id} username={u.username} disabled={u.disabledAt !== null} />
                  )}
                </Cell>
              ) : null}
            </Row>
          );
        })}
      </Table>
    </div>
  );
}
