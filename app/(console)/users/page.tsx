// /users — who can use the console. Admins add users and set roles; viewers see the list only.
import { db } from "@/lib/db";
import { requireUser } from "@/lib/auth/current";
import { isAdmin } from "@/lib/auth/roles";
import { Cell, Row, Table } from "@/components/ui/table";
import { AddUserForm } from "./add-user-form";
import { RoleForm } from "./role-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requireUser("/users");
  const admin = isAdmin(me);
  const users = await db.user.findMany({ orderBy: { username: "asc" }, select: { id: true, username: true, role: true, createdAt: true } });
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
      <Table columns={["Username", "Role", "Added"]}>
        {users.map((u) => (
          <Row key={u.id}>
            <Cell className="font-medium">{u.username}</Cell>
            <Cell>{admin ? <RoleForm userId={u.id} username={u.username} role={u.role} /> : u.role}</Cell>
            <Cell>{u.createdAt.toISOString().slice(0, 10)}</Cell>
          </Row>
        ))}
      </Table>
    </div>
  );
}
