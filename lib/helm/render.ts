// A fresh values.yaml for an environment: only the keys guide step 4 sets, built as YAML nodes so quoting
// (useAwsIamAuth must stay the string "true") is the library's job, not a template's.
import { Document, YAMLMap, type ToStringOptions } from "yaml";
import { applyValues, type RoleArns, type ValuesSettings } from "./apply-values";
import type { ValuesContext } from "./safeguards";

/** How the console prints YAML: the chart's own style, and no folding of long ARNs or comments. */
export const YAML_FORMAT: ToStringOptions = { indent: 2, indentSeq: true, lineWidth: 0 };

export function buildValuesDocument(settings: ValuesSettings & { name?: string }, arns: RoleArns, context: ValuesContext = {}): Document {
  const doc = new Document(new YAMLMap());
  doc.commentBefore = [
    ` Rasa Studio${settings.name ? ` (${settings.name})` : ""}: IAM database authentication and S3 model storage (guide step 4).`,
    ` Merge it into your full values.yaml rather than using it alone: Helm replaces lists wholesale, and keys`,
    ` left out fall back to the chart's defaults.`,
  ].join("\n");
  applyValues(doc, settings, arns, { locate: () => null }, context);
  return doc;
}

/** A fresh values.yaml; with the RDS endpoint known (`context`), config.database.host names it. */
export function renderValues(settings: ValuesSettings & { name?: string }, arns: RoleArns, context: ValuesContext = {}): string {
  return buildValuesDocument(settings, arns, context).toString(YAML_FORMAT);
}
