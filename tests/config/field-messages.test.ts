// Every wizard page submitted empty answers in the console's words, never zod's ("Invalid input: expected string,
// received undefined"), and names what to put in each required field.
import { describe, expect, it } from "vitest";
import { fieldErrors } from "@/lib/config/environment";
import { REQUIRED_MESSAGES } from "@/lib/config/field-messages";
import { parseWizardStep } from "@/lib/config/wizard-form";

const empty = () => new FormData();

describe("required fields", () => {
  for (const [step, fields] of [
    ["account", ["name", "region", "clusterName"]],
    ["database", ["dbIdentifier", "databaseName"]],
    ["storage", ["bucketName", "storageSituation"]],
    ["helm", ["rdsRoleName", "s3RoleName"]],
  ] as const) {
    it(`the ${step} page submitted empty says what each required field needs`, () => {
      const parsed = parseWizardStep(step, empty());
      expect(parsed.success).toBe(false);
      if (parsed.success) return;
      const errors = fieldErrors(parsed.error, parsed.input);
      expect(Object.keys(errors).sort()).toEqual([...fields].sort());
      for (const f of fields) expect(errors[f]).toEqual([REQUIRED_MESSAGES[f]]);
      expect(JSON.stringify(errors)).not.toMatch(/Invalid input|received undefined/);
    });
  }

  it("a value that was typed keeps its rule's message", () => {
    const form = new FormData();
    form.set("name", "staging");
    form.set("region", "mars-north-1x");
    form.set("clusterName", "studio-eks");
    const parsed = parseWizardStep("account", form);
    if (parsed.success) throw new Error("expected a refusal");
    expect(fieldErrors(parsed.error, parsed.input)).toEqual({ region: ["must be an AWS region code such as eu-west-1"] });
  });

  it("a field required only by another choice keeps the rule that says when (kubeconfig path)", () => {
    const form = new FormData();
    form.set("bucketName", "studio-models-staging");
    form.set("storageSituation", "copy-from-pv");
    form.set("clusterAccess", "kubeconfig");
    form.set("kubeconfigPath", "");
    const parsed = parseWizardStep("storage", form);
    if (parsed.success) throw new Error("expected a refusal");
    expect(fieldErrors(parsed.error, parsed.input).kubeconfigPath).toEqual(["is required when the cluster is reached through a kubeconfig"]);
  });
});
