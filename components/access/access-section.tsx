// The environment page's "Who may do what" section: the latest access run's matrix and map (viewers see them
// too), when it proved its access, and what it does and does not prove next to the IAM token login.
import Link from "next/link";
import type { ReactNode } from "react";
import type { AccessProof } from "@/lib/environments/access";
import { Time } from "@/components/ui/time";
import { AccessMap } from "./access-map";
import { AccessMatrixTable } from "./access-matrix";

/** What each proof covers: neither is shown as the other. */
export function ProofScope() {
  return (
    <p className="text-sm" data-testid="proof-scope">
      The access matrix proves the <strong>role side</strong>: from the roles&apos; trust, inline and attached policies and boundary and the
      bucket policy as AWS returns them, which pods may assume which role, and what each role may reach (the IAM database user, the bucket),
      evaluated offline. The <strong>IAM token login</strong> of a verify run proves the <strong>database side</strong>: the user exists, is
      in <code>rds_iam</code>, TLS is on and RDS accepts a token; it signs that token with the console&apos;s own identity, not a pod&apos;s
      role.
    </p>
  );
}

export function AccessSection({ proof, controls }: { proof: AccessProof | null; controls?: ReactNode }) {
  return (
    <section aria-labelledby="access-title" className="flex flex-col gap-3" data-testid="access-section">
      <h2 id="access-title" className="text-lg font-medium">
        Who may do what
      </h2>
      <ProofScope />
      {proof ? (
        <p className="text-sm" data-testid="access-proved">
          Last access check:{" "}
          <Link className="underline" href={`/runs/${proof.runId}`}>
            {proof.status === "succeeded" ? "proved as intended" : "failed"}
          </Link>{" "}
          at <Time value={proof.finishedAt} />, started by {proof.actor}.
        </p>
      ) : (
        <p className="text-sm">No access check yet: one runs after each successful apply{controls ? ", or check now" : ""}.</p>
      )}
      {controls}
      {proof && !proof.matrix && proof.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {proof.error}
        </p>
      ) : null}
      {proof?.matrix ? (
        <>
          <AccessMap matrix={proof.matrix} />
          <AccessMatrixTable matrix={proof.matrix} />
        </>
      ) : null}
    </section>
  );
}
