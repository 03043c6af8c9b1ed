// The way back: values that take Studio's database connection back to the password user (the chart then reads the
// password from its secret again, config.database.password). Only the database side is rolled back: the service
// accounts keep their role annotations (harmless without useAwsIamAuth) and S3 keeps working through its role.
// Run before the rollback SQL (lib/postgres/rollback.ts), which removes the IAM user. Pure.
import { Document, Scalar, YAMLMap } from "yaml";
import type { EnvironmentSettings } from "@/lib/config/environment";
import { mergeInto, type DiffLine } from "./merge";
import { profileFor } from "./profiles";
import { YAML_FORMAT } from "./render";
import { ValuesEditor, type SourceInfo } from "./values-editor";

export type RollbackSettings = Pick<EnvironmentSettings, "chartProfile" | "customPaths" | "originalDbOwner" | "iamDbUser"> &
  Partial<Pick<EnvironmentSettings, "name" | "eventIngestionMode">>;

function applyRollback(doc: Document, settings: RollbackSettings, source: SourceInfo) {
  const { paths } = profileFor(settings);
  const edit = new ValuesEditor(doc, source);
  const db = edit.map(paths.databaseConfig, [
    ` Rollback: Studio connects as the password user again${settings.originalDbOwner ? ` (${settings.originalDbOwner})` : ""}, with the password from`,
    ` config.database.password; ${settings.iamDbUser} and IAM tokens are no longer used.`,
  ]);
  edit.scalar(db, "useAwsIamAuth", "false", Scalar.QUOTE_DOUBLE);
  edit.scalar(db, "iamDbUsername", "", Scalar.QUOTE_DOUBLE);
  if (settings.originalDbOwner) edit.scalar(db, "username", settings.originalDbOwner, Scalar.QUOTE_DOUBLE);
}

/** The rollback values on their own, to merge into (or pass after) the values in use. */
export function renderRollbackValues(settings: RollbackSettings): string {
  const doc = new Document(new YAMLMap());
  doc.commentBefore = [
    ` Rasa Studio${settings.name ? ` (${settings.name})` : ""}: roll the database connection back to the password user.`,
    ` Pass it after your values (helm upgrade … -f values.yaml -f rollback-values.yaml) or merge it into them, then`,
    ` run rollback.sql once no pod connects as ${settings.iamDbUser}.`,
  ].join("\n");
  applyRollback(doc, settings, { locate: () => null });
  return doc.toString(YAML_FORMAT);
}

/** The values in use with the rollback applied, keeping their layout; with a line diff. */
export function mergeRollbackValues(existingYaml: string, settings: RollbackSettings): { yaml: string; diff: DiffLine[] | null } {
  const merged = mergeInto(existingYaml, () => renderRollbackValues(settings), (doc, source) => applyRollback(doc, settings, source));
  return { yaml: merged.yaml, diff: merged.diff };
}
