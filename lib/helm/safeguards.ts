// Values that would silently defeat the upgrade: the pods would start, and still not use the role or IAM auth.
// Each is corrected in the merged file (the correction is listed with its reason, and shows in the diff) or, where
// only the admin can decide, the merge is refused with the reason:
// - config.database.host not the RDS endpoint: the app signs its IAM token for DB_HOST, and RDS accepts a token only
//   for its own endpoint (a CNAME or tunnel name fails) → corrected to the endpoint discovery reported (and port);
// - TLS to the database off (preferSSL "false", sslmode=disable in queryParams): IAM tokens need TLS → corrected;
// - static AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN in an env list: the SDK's credential chain
//   reads them before the pod's web-identity role → removed;
// - a service-account block at a path the chosen chart ignores, a file in the other layout, another
//   eventIngestion.mode than the environment's, or another database than the grants' → refused.
import { isMap, isScalar, isSeq, Scalar, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import type { EnvironmentSettings } from "@/lib/config/environment";
import { detectFromDocument } from "./detect";
import { ValuesRefusedError } from "./errors";
import { splitPath, type ChartProfileInfo } from "./profiles";
import type { ValuesEditor } from "./values-editor";

/** What discovery knows about the database, for the values that must name it. */
export interface ValuesContext {
  /** The RDS endpoint (DescribeDBInstances / DescribeDBClusters), the host IAM tokens are signed for. */
  dbEndpoint?: string | null;
  dbPort?: number | null;
}

/** The context from what discovery stored (the database's endpoint and port), or nothing before discovery. */
export function valuesContextFrom(observed: { database?: { endpoint?: string; port?: number } | null } | null | undefined): ValuesContext {
  const db = observed?.database;
  return db?.endpoint ? { dbEndpoint: db.endpoint, dbPort: db.port ?? null } : {};
}

/** One line per correction, for a form message or a log. */
export function describeCorrections(corrections: ValuesCorrection[]): string {
  return corrections.map((c) => `${c.path}: ${c.was} → ${c.now} (${c.reason})`).join("; ");
}

/** A value the merge changed because it would have defeated the upgrade. */
export interface ValuesCorrection {
  path: string;
  was: string;
  now: string;
  reason: string;
}

export type SafeguardSettings = Pick<EnvironmentSettings, "databaseName" | "chartProfile"> & Partial<Pick<EnvironmentSettings, "eventIngestionMode">>;

const STATIC_KEYS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

/** Refuses what only the admin can decide; throws ValuesRefusedError with every reason at once. */
export function refuseDefeatingValues(doc: Document, settings: SafeguardSettings, profile: ChartProfileInfo): void {
  const reasons: Array<{ path: string; reason: string }> = [];
  const detected = detectFromDocument(doc);
  if (profile.layout && detected.conflict) reasons.push({ path: "(layout)", reason: detected.conflict });
  if (profile.layout && detected.layout && detected.layout !== profile.layout)
    reasons.push({
      path: "(layout)",
      reason: `the file is written for the ${detected.layout === "app" ? "app layout (Studio chart 3.0.0-rc.16)" : "2.x layout (Studio chart 2.x, 3.0.0 up to rc.13)"} (${detected.evidence[0]}), but the environment's chart profile is ${profile.label}: the chart would ignore every key the console writes. Choose the profile of the chart you run (${detected.profile ?? "custom"})`,
    });
  if (profile.layout === "app" && detected.layout === "app" && detected.eventIngestionMode && settings.eventIngestionMode && detected.eventIngestionMode !== settings.eventIngestionMode)
    reasons.push({
      path: "eventIngestion.mode",
      reason: `the file runs event ingestion ${detected.eventIngestionMode}, the environment says ${settings.eventIngestionMode}: the roles' trust policies name the service accounts of one mode only. Set the environment's event ingestion mode to ${detected.eventIngestionMode}, or change the file`,
    });
  for (const ignored of profile.ignoredServiceAccountPaths) {
    const block = doc.getIn(splitPath(ignored.path), true);
    if (isMap(block) && carriesSettings(block))
      reasons.push({
        path: ignored.path,
        reason: `${ignored.path} sets a service account, but ${profile.label} never reads it (it reads ${ignored.instead}): the pod would run without the role. Remove the block${ignored.instead.startsWith("app.") || ignored.instead.startsWith("backend.") || ignored.instead.startsWith("rasa.") ? `; the console writes ${ignored.instead.split(" ")[0]}` : ""}`,
      });
  }
  if (profile.databaseNameKey) {
    const db = doc.getIn([...splitPath(profile.paths.databaseConfig), profile.databaseNameKey], true);
    const key = `${profile.paths.databaseConfig}.${profile.databaseNameKey}`;
    // Only a name the file sets: a file without one may be one of several -f files, and a secret reference
    // cannot be read here.
    const name = isScalar(db) && db.value !== null && db.value !== "" ? String(db.value) : null;
    if (name !== null && name !== settings.databaseName)
      reasons.push({
        path: key,
        reason: `Studio uses database ${JSON.stringify(name)} (${key}) but the grants are for ${settings.databaseName} (databaseName): the IAM user could log in and find none of Studio's tables. Fix whichever is wrong`,
      });
  }
  if (reasons.length) throw new ValuesRefusedError(reasons);
}

/** Corrects what has one right answer; returns each correction with its reason. */
export function correctDefeatingValues(doc: Document, edit: ValuesEditor, profile: ChartProfileInfo, context: ValuesContext): ValuesCorrection[] {
  const corrections: ValuesCorrection[] = [];
  const dbPath = profile.paths.databaseConfig;
  const dbNode = doc.getIn(splitPath(dbPath), true);
  const db = isMap(dbNode) ? dbNode : null;
  const set = (map: YAMLMap, key: string, now: string, reason: string, was: string) => {
    edit.scalar(map, key, now, Scalar.QUOTE_DOUBLE);
    corrections.push({ path: `${dbPath}.${key}`, was, now, reason });
  };

  // Without a database block the console writes host and port itself, as in a fresh values.yaml.
  if (context.dbEndpoint && db) {
    const host = scalarText(db.get("host", true));
    if (host === undefined || host.toLowerCase() !== context.dbEndpoint.toLowerCase())
      set(
        db,
        "host",
        context.dbEndpoint,
        "the app signs its IAM token for this host, and RDS accepts a token only for its own endpoint (a CNAME, tunnel or IP fails)",
        host === undefined ? "(not set)" : host,
      );
    if (context.dbPort) {
      const port = scalarText(db.get("port", true)) ?? "5432";
      if (port !== String(context.dbPort))
        set(db, "port", String(context.dbPort), "the IAM token names the port too; RDS listens on this one", port);
    }
  }

  if (db) {
    const prefer = scalarText(db.get("preferSSL", true));
    if (prefer !== undefined && /^(false|0|no|off)$/i.test(prefer))
      set(db, "preferSSL", "true", "RDS accepts IAM tokens only over TLS: with TLS off the migration job cannot log in", prefer);
    const query = scalarText(db.get("queryParams", true));
    if (query) {
      const kept = query.split("&").filter((p) => !/^(sslmode=(disable|allow)|ssl=(false|0))$/i.test(p.trim()));
      if (kept.length !== query.split("&").length)
        set(db, "queryParams", kept.join("&"), "RDS accepts IAM tokens only over TLS: the parameter that turned TLS off is removed", query);
    }
  }

  removeStaticKeys(doc.contents as Node, [], corrections);
  return corrections;
}

/** Whether a service-account block says more than the chart defaults (create false, no name, no annotations). */
function carriesSettings(block: YAMLMap): boolean {
  const create = block.get("create", true);
  const name = scalarText(block.get("name", true));
  const annotations = block.get("annotations", true);
  return (
    (isScalar(create) && (create.value === true || create.value === "true")) ||
    Boolean(name) ||
    (isMap(annotations) && annotations.items.length > 0)
  );
}

function removeStaticKeys(node: Node | null | undefined, path: string[], corrections: ValuesCorrection[]) {
  if (isSeq(node)) {
    const seq = node as YAMLSeq;
    const kept = seq.items.filter((item, i) => {
      const name = isMap(item) ? scalarText(item.get("name", true)) : undefined;
      if (name === undefined || !STATIC_KEYS.includes(name)) return true;
      corrections.push(staticKeyCorrection(`${path.join(".")}[${i}] (${name})`));
      return false;
    });
    if (kept.length !== seq.items.length) seq.items = kept;
    seq.items.forEach((item, i) => removeStaticKeys(item as Node, [...path.slice(0, -1), `${path.at(-1) ?? ""}[${i}]`], corrections));
    return;
  }
  if (!isMap(node)) return;
  for (const pair of [...(node.items as Pair[])]) {
    const key = scalarText(pair.key);
    if (key === undefined) continue;
    // 2.x env maps: `environmentVariables: { AWS_ACCESS_KEY_ID: { value: … } }`.
    if (STATIC_KEYS.includes(key) && path.at(-1) === "environmentVariables") {
      node.delete(pair.key);
      corrections.push(staticKeyCorrection(`${[...path, key].join(".")}`));
      continue;
    }
    removeStaticKeys(pair.value as Node, [...path, key], corrections);
  }
}

function staticKeyCorrection(path: string): ValuesCorrection {
  return {
    path,
    was: "a static AWS key (value not shown)",
    now: "(removed)",
    reason: "static AWS keys in a pod's environment come first in the SDK's credential chain, so the pod would never use its role",
  };
}

function scalarText(node: unknown): string | undefined {
  if (isScalar(node)) return node.value === null || node.value === undefined ? undefined : String(node.value);
  return undefined;
}
