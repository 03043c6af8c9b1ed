import { describe, expect, it } from "vitest";
import { CUSTOM_PATHS, testSettings } from "@/tests/support/settings";
import { helmCommands, mergedValuesFileName, studioFullname, valuesFileName } from "./index";

describe("valuesFileName", () => {
  it("names the file after the environment", () => {
    expect(valuesFileName("staging")).toBe("staging-values.yaml");
    // The merged download is named apart, so both files can sit in one folder.
    expect(mergedValuesFileName("staging")).toBe("staging-values.merged.yaml");
  });

  it("refuses names that are not environment names (they end up in a download header)", () => {
    expect(() => valuesFileName('x"; filename=evil')).toThrow(/^environment name must be 1-32 lower-case letters/);
    expect(() => valuesFileName("../prod")).toThrow(/environment name/);
  });
});

describe("helmCommands", () => {
  const settings = testSettings({ namespace: "studio-prod", releaseName: "rasa" });
  const commands = helmCommands(settings);
  const byTitle = (title: string) => {
    const found = commands.find((c) => c.title === title);
    if (!found) throw new Error(`no command titled ${title}`);
    return found;
  };

  it("upgrades the release in its namespace with the environment's values file", () => {
    expect(byTitle("Upgrade the release").command).toBe(
      "helm upgrade rasa oci://europe-west3-docker.pkg.dev/rasa-releases/helm-charts/studio --version <chart-version> --namespace studio-prod -f staging-values.yaml",
    );
  });

  it("says the pods must restart to pick up the role", () => {
    const restart = byTitle("Restart the pods");
    expect(restart.command).toBe("kubectl rollout restart deployment -n studio-prod");
    expect(restart.why).toMatch(/only when the pod starts/);
  });

  it("checks the annotation on each of the four service accounts, with the role it must name", () => {
    const checks = commands.filter((c) => c.command.startsWith("kubectl get sa "));
    expect(checks.map((c) => c.command)).toStrictEqual([
      "kubectl get sa studio-backend -n studio-prod -o yaml",
      "kubectl get sa studio-event-ingestion -n studio-prod -o yaml",
      "kubectl get sa studio-database-migration -n studio-prod -o yaml",
      "kubectl get sa studio-model-service -n studio-prod -o yaml",
    ]);
    expect(checks.slice(0, 3).every((c) => c.why.includes("eks.amazonaws.com/role-arn: arn:…:iam::<account>:role/studio-staging-rds-role"))).toBe(true);
    expect(checks[3].why).toContain("role/studio-staging-s3-role");
  });

  it("checks the identity pods really get, in the chart's deployments", () => {
    const sts = commands.filter((c) => c.command.includes("sts get-caller-identity"));
    expect(sts.map((c) => c.command)).toStrictEqual([
      "kubectl exec -n studio-prod deploy/rasa-studio-backend -- aws sts get-caller-identity",
      "kubectl exec -n studio-prod deploy/rasapro -- aws sts get-caller-identity",
      `kubectl run sts-check -n studio-prod --rm -i --restart=Never --image=amazon/aws-cli --overrides='{"apiVersion":"v1","spec":{"serviceAccountName":"studio-backend"}}' -- sts get-caller-identity`,
    ]);
    expect(sts[0].why).toContain("assumed-role/studio-staging-rds-role/");
    expect(sts[1].why).toContain("assumed-role/studio-staging-s3-role/");
  });

  it("leaves deployment names as placeholders for a custom chart", () => {
    const custom = helmCommands(testSettings({ chartProfile: "custom", customPaths: CUSTOM_PATHS }));
    expect(custom.map((c) => c.command)).toContain("kubectl exec -n rasa deploy/<backend-deployment> -- aws sts get-caller-identity");
  });

  it("derives the chart's fullname from the release name", () => {
    expect(studioFullname("studio")).toBe("studio");
    expect(studioFullname("my-studio-prod")).toBe("my-studio-prod");
    expect(studioFullname("rasa")).toBe("rasa-studio");
  });

  it("gives every command a title and a reason", () => {
    for (const c of commands) {
      expect(c.title).not.toBe("");
      expect(c.why.length).toBeGreaterThan(20);
    }
  });
});
