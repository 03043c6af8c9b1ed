// Guide step 4 as edits on a YAML document: the same edits build a fresh values.yaml (render) and change a
// pasted one in place (merge), so both always set the same keys. Only nodes on the console's paths are touched;
// a node that already exists is updated in place so its comments and position stay.
import { Document, isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from "yaml";
import { partitionOf } from "@/lib/config/aws-names";
import type { EnvironmentSettings } from "@/lib/config/environment";
import { ValuesYamlError } from "./errors";
import { profileFor, SERVICE_ACCOUNTS, splitPath, type EnvEntry } from "./profiles";

export interface RoleArns {
  rdsRoleArn: string;
  s3RoleArn: string;
}

/** The annotation the EKS pod identity webhook reads to hand a pod the role's web-identity credentials. */
export const ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";

/** 1-based source position of a node, or null for a document built from scratch. */
export type Locate = (node: unknown) => { line: number; column: number } | null;

type ValuesSettings = Pick<
  EnvironmentSettings,
  | "region"
  | "namespace"
  | "iamDbUser"
  | "bucketName"
  | "chartProfile"
  | "customPaths"
  | "backendServiceAccount"
  | "eventIngestionServiceAccount"
  | "migrationServiceAccount"
  | "modelServiceAccount"
>;
export type { ValuesSettings };

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** What the editor may know about the source a document was parsed from. */
export interface SourceInfo {
  locate: Locate;
  /**
   * Whether the comment after a map's last entry sits at that map's own indentation, i.e. belongs to the map's
   * end rather than introducing what follows. A key appended to such a map goes below that comment.
   */
  ownsTrailingComment?: (map: YAMLMap) => boolean;
}

/** Sets every key guide step 4 needs, at the environment's chart-profile paths. */
export function applyValues(doc: Document, settings: ValuesSettings, arns: RoleArns, source: SourceInfo): void {
  assertRoleArns(settings.region, arns);
  const profile = profileFor(settings);
  const { paths } = profile;
  const edit = new ValuesEditor(doc, source);

  const db = edit.map(paths.databaseConfig, [
    ` IAM database authentication: the backend, event ingestion and DB migration job connect as ${settings.iamDbUser}`,
    ` with short-lived IAM tokens instead of the password. useAwsIamAuth is the string "true" (the chart's type).`,
  ]);
  edit.scalar(db, "useAwsIamAuth", "true", Scalar.QUOTE_DOUBLE);
  edit.scalar(db, "awsRegion", settings.region);
  edit.scalar(db, "iamDbUsername", settings.iamDbUser);

  for (const sa of SERVICE_ACCOUNTS) {
    const name = settings[sa.nameField];
    const [role, arn] = sa.role === "rds" ? ["RDS", arns.rdsRoleArn] : ["S3", arns.s3RoleArn];
    const block = edit.map(paths[sa.path], [
      ` ${sa.purpose}: assumes the ${role} role. Created with this exact name: the role's trust policy names`,
      ` system:serviceaccount:${settings.namespace}:${name}.`,
    ]);
    edit.scalar(block, "create", true);
    edit.scalar(block, "name", name);
    const annotations = edit.childMap(block, "annotations", `${paths[sa.path]}.annotations`);
    edit.scalar(annotations, ROLE_ARN_ANNOTATION, arn);
  }

  const storageEnv: EnvEntry[] = [
    { name: "BUCKET_NAME", value: settings.bucketName },
    { name: "AWS_DEFAULT_REGION", value: settings.region },
    { name: "RASA_REMOTE_STORAGE", value: "aws" },
  ];
  edit.envList(paths.modelServiceEnv, storageEnv, profile.modelServiceEnvDefaults, [
    ` Rasa model service: keeps trained models in S3 bucket ${settings.bucketName}. Helm replaces this list as a`,
    profile.modelServiceEnvDefaults.length
      ? ` whole, so the chart's default entries are repeated here.`
      : ` whole: keep your chart's default entries in it.`,
  ]);
}

function assertRoleArns(region: string, arns: RoleArns) {
  for (const field of ["rdsRoleArn", "s3RoleArn"] as const) {
    const arn = arns[field];
    if (!ROLE_ARN.test(arn))
      throw new Error(`${field} must be an IAM role ARN such as arn:aws:iam::123456789012:role/name (got "${arn}")`);
    const partition = arn.split(":")[1];
    if (partition !== partitionOf(region))
      throw new Error(`${field} must be in partition ${partitionOf(region)} (region ${region}), not ${partition}`);
  }
}

/** Node edits that reuse what is there: an existing node keeps its comments and its place. */
class ValuesEditor {
  constructor(
    private readonly doc: Document,
    private readonly source: SourceInfo,
  ) {}

  /** The map at a dotted path, created (with `comment` above its key) when missing. */
  map(dotted: string, comment?: string[]): YAMLMap {
    const parts = splitPath(dotted);
    let map = this.root();
    parts.forEach((key, i) => {
      map = this.childMap(map, key, parts.slice(0, i + 1).join("."), i === parts.length - 1 ? comment : undefined);
    });
    return map;
  }

  root(): YAMLMap {
    const { doc } = this;
    if (isNullish(doc.contents)) doc.contents = new YAMLMap() as unknown as Document["contents"];
    if (!isMap(doc.contents)) throw this.shapeError("(top level)", "a mapping", doc.contents);
    return doc.contents;
  }

  childMap(parent: YAMLMap, key: string, path: string, comment?: string[]): YAMLMap {
    const pair = findPair(parent, key);
    if (!pair) {
      const map = new YAMLMap();
      this.addPair(parent, newKey(key, comment), map);
      return map;
    }
    if (isMap(pair.value)) return pair.value;
    // `key:` with nothing after it is null in YAML: the block is simply empty.
    if (isNullish(pair.value)) {
      const map = new YAMLMap();
      carryComments(pair.value, map);
      pair.value = map;
      return map;
    }
    throw this.shapeError(path, "a mapping", pair.value ?? pair.key);
  }

  /** Sets a scalar, reusing an existing node so its comments stay. */
  scalar(map: YAMLMap, key: string, value: string | boolean, type?: Scalar.Type) {
    const pair = findPair(map, key);
    if (pair && isScalar(pair.value)) {
      pair.value.value = value;
      // A quoted "false" must not stay quoted once it is the boolean true.
      pair.value.type = typeof value === "string" && !type ? keepStringStyle(pair.value.type) : type;
      return;
    }
    const node = new Scalar(value);
    if (type) node.type = type;
    if (pair) {
      carryComments(pair.value, node);
      pair.value = node;
    } else this.addPair(map, new Scalar(key), node);
  }

  /**
   * Sets entries of an env list by `name`: an entry already there gets the new value (and loses any
   * valueFrom, which Kubernetes refuses alongside value), later duplicates of it are dropped, every other
   * entry stays.
   */
  envList(dotted: string, wanted: EnvEntry[], chartDefaults: EnvEntry[], comment: string[]) {
    const { doc } = this;
    const parts = splitPath(dotted);
    const key = parts[parts.length - 1];
    const parent = parts.length > 1 ? this.map(parts.slice(0, -1).join(".")) : this.root();
    const pair = findPair(parent, key);
    let list: YAMLSeq;
    if (pair && isSeq(pair.value)) list = pair.value;
    else if (!pair || isNullish(pair.value)) {
      // Absent here means the chart's default list applies; writing the list replaces it, so start from it.
      list = new YAMLSeq();
      for (const entry of chartDefaults) list.items.push(doc.createNode(entry));
      if (pair) {
        carryComments(pair.value, list);
        pair.value = list;
      } else this.addPair(parent, newKey(key, comment), list);
    } else throw this.shapeError(dotted, "a list", pair.value);
    if (list.flow && list.items.length === 0) list.flow = false;

    for (const entry of wanted) {
      const same = list.items.filter(
        (item): item is YAMLMap => isMap(item) && scalarText(item.get("name", true)) === entry.name,
      );
      if (same.length === 0) {
        list.items.push(doc.createNode(entry));
        continue;
      }
      const [first, ...duplicates] = same;
      if ("value" in entry) {
        this.scalar(first, "value", entry.value);
        first.delete("valueFrom");
      }
      list.items = list.items.filter((item) => !duplicates.includes(item as YAMLMap));
    }
  }

  private addPair(map: YAMLMap, key: Scalar, value: unknown) {
    // An empty flow map (`annotations: {}`) reads better as a block once it has content.
    if (map.flow && map.items.length === 0) map.flow = false;
    if (!map.flow && map.comment && this.source.ownsTrailingComment?.(map)) {
      key.commentBefore = [map.comment, key.commentBefore].filter(Boolean).join("\n");
      map.comment = undefined;
    }
    map.items.push(new Pair(key, value));
  }

  private shapeError(path: string, expected: string, node: unknown): Error {
    const found = isMap(node)
      ? "a mapping"
      : isSeq(node)
        ? "a list"
        : isScalar(node)
          ? `the value ${JSON.stringify(node.value)}`
          : "an alias";
    const reason = `must be ${expected}, found ${found}`;
    const at = this.source.locate(node);
    // Without a source position the clash is between the configured value paths themselves.
    if (!at) return new Error(`value path ${path} ${reason}: two chart-profile paths overlap`);
    return new ValuesYamlError(`${path} ${reason}`, at.line, at.column, path);
  }
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return (map.items as Pair[]).find((pair) => scalarText(pair.key) === key);
}

function scalarText(node: unknown): string | undefined {
  if (isScalar(node)) return node.value == null ? undefined : String(node.value);
  return typeof node === "string" ? node : undefined;
}

// Quoted strings stay quoted; block and plain styles become plain: the library quotes a plain string itself
// when it would otherwise read back as a number or boolean.
function keepStringStyle(type: Scalar.Type | undefined): Scalar.Type | undefined {
  return type === Scalar.QUOTE_DOUBLE || type === Scalar.QUOTE_SINGLE ? type : undefined;
}

function newKey(key: string, comment?: string[]): Scalar {
  const node = new Scalar(key);
  if (comment) node.commentBefore = comment.join("\n");
  return node;
}

function isNullish(node: unknown): boolean {
  return node == null || (isScalar(node) && node.value == null);
}

function carryComments(from: unknown, to: Node) {
  if (!isScalar(from) && !isMap(from) && !isSeq(from)) return;
  if (from.commentBefore) to.commentBefore = from.commentBefore;
  if (from.comment) to.comment = from.comment;
}
