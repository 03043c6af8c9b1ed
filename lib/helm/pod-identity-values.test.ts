// EKS Pod Identity: the service accounts are still named and created explicitly (the associations name them), but
// carry no role annotation; an annotation left from IRSA is removed in a merge (it would win over the agent).
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { TEST_ROLE_ARNS, testSettings } from "@/tests/support/settings";
import { mergeValues, renderValues } from "./index";

describe("values for EKS Pod Identity", () => {
  for (const chartProfile of ["studio-2.x", "studio-3.x"] as const)
    it(`${chartProfile}: service accounts created and named, no role-arn annotation anywhere`, () => {
      const text = renderValues(testSettings({ chartProfile, identityMode: "pod-identity" }), TEST_ROLE_ARNS);
      expect(text).not.toContain("eks.amazonaws.com/role-arn");
      expect(text).not.toContain(TEST_ROLE_ARNS.rdsRoleArn);
      const values = parse(text);
      expect(values.backend.serviceAccount).toEqual({ create: true, name: "studio-backend" });
      expect(values.backend.migration.serviceAccount).toEqual({ create: true, name: "studio-database-migration" });
      expect(values.eventIngestion.serviceAccount).toEqual({ create: true, name: "studio-event-ingestion" });
      expect(values.rasa.rasa.serviceAccount).toEqual({ create: true, name: "studio-model-service" });
      expect(values.config.database.useAwsIamAuth).toBe("true");
      expect(text).toMatch(/gets the RDS role from its EKS pod identity association/);
    });

  it("a merge into IRSA-era values removes the role annotation and keeps the other annotations", () => {
    const existing = [
      "backend:",
      "  serviceAccount:",
      "    create: true",
      "    name: studio-backend",
      "    annotations:",
      `      eks.amazonaws.com/role-arn: ${TEST_ROLE_ARNS.rdsRoleArn}`,
      "      team: platform",
      "",
    ].join("\n");
    const merged = parse(mergeValues(existing, testSettings({ identityMode: "pod-identity" }), TEST_ROLE_ARNS).yaml);
    expect(merged.backend.serviceAccount.annotations).toEqual({ team: "platform" });
  });
});
