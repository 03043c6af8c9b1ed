// The AWS SDK client packages the double answers for, and two ways to get them: the modules this file imports
// (the unit tests: the same instances the code under test imports) or the ones `require` finds from a
// directory (the browser-test server loads its externals as CommonJS from the project's node_modules).
import { createRequire } from "node:module";
import * as eks from "@aws-sdk/client-eks";
import * as iam from "@aws-sdk/client-iam";
import * as kms from "@aws-sdk/client-kms";
import * as rds from "@aws-sdk/client-rds";
import * as s3 from "@aws-sdk/client-s3";
import * as sts from "@aws-sdk/client-sts";
import type { SdkModule, Service } from "./errors";

export type SdkModules = Partial<Record<Service, SdkModule>>;

export const SDK_PACKAGES: Record<Service, { pkg: string; client: string }> = {
  sts: { pkg: "@aws-sdk/client-sts", client: "STSClient" },
  eks: { pkg: "@aws-sdk/client-eks", client: "EKSClient" },
  rds: { pkg: "@aws-sdk/client-rds", client: "RDSClient" },
  iam: { pkg: "@aws-sdk/client-iam", client: "IAMClient" },
  s3: { pkg: "@aws-sdk/client-s3", client: "S3Client" },
  kms: { pkg: "@aws-sdk/client-kms", client: "KMSClient" },
};

/** A namespace import of a CommonJS package may hold the exports under `default`: take the exports object. */
function exportsOf(ns: object, client: string): SdkModule {
  const d = (ns as { default?: SdkModule }).default;
  return d && typeof d === "object" && typeof d[client] === "function" ? d : (ns as SdkModule);
}

export function importedModules(): SdkModules {
  const ns: Record<Service, object> = { sts, eks, rds, iam, s3, kms };
  return Object.fromEntries(Object.entries(ns).map(([k, m]) => [k, exportsOf(m, SDK_PACKAGES[k as Service].client)]));
}

/** The packages as `require` resolves them from `dir` (a file or directory inside the project). */
export function requiredModules(dir: string): SdkModules {
  const require = createRequire(dir.endsWith("/") ? dir : `${dir}/`);
  return Object.fromEntries(Object.entries(SDK_PACKAGES).map(([k, { pkg }]) => [k, require(pkg) as SdkModule]));
}
