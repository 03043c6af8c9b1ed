"use client";
// The console's navigation; marks the current section for screen readers (aria-current).
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/environments", label: "Environments" },
  { href: "/runs", label: "Runs" },
  { href: "/audit", label: "Audit log" },
  { href: "/users", label: "Users" },
  { href: "/permissions", label: "Permissions" },
] as const;

export function Nav() {
  const path = usePathname();
  return (
    <nav aria-label="Main">
      <ul className="flex flex-wrap gap-1">
        {LINKS.map(({ href, label }) => {
          const current = path === href || path.startsWith(`${href}/`);
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className="block rounded-md px-3 py-2 text-sm font-medium hover:bg-slate-200 aria-[current=page]:bg-slate-900 aria-[current=page]:text-white dark:hover:bg-slate-800 dark:aria-[current=page]:bg-slate-100 dark:aria-[current=page]:text-slate-900"
              >
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
