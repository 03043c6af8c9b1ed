// The review page leaves nothing out: every field of the settings schema has a human label in one of the
// wizard's groups, and values are shown in words, not as the stored codes.
import { describe, expect, it } from "vitest";
import { environmentSettingsSchema } from "@/lib/config/environment";
import { SETTINGS_GROUPS, showSetting } from "@/lib/config/settings-labels";
import { VALID_SETTINGS } from "@/tests/support/settings";

const lines = SETTINGS_GROUPS.flatMap((g) => g.lines);
const line = (key: string) => lines.find((l) => l.key === key)!;

describe("settings as people read them", () => {
  it("every settings field is in exactly one group, with a label", () => {
    const keys = Object.keys(environmentSettingsSchema.shape);
    expect(lines.map((l) => l.key).sort()).toEqual([...keys].sort());
    for (const l of lines) expect(l.label.length).toBeGreaterThan(2);
  });

  it("shows codes in words: database kind, storage situation, trust scope, TLS, the address the console connects to", () => {
    const v = { ...VALID_SETTINGS, dbKind: "cluster", storageSituation: "copy-from-pv", trustScope: "service-accounts", dbTls: "disable", dbHostOverride: "127.0.0.1", dbPortOverride: 5433 };
    expect(showSetting(line("dbKind"), v)).toBe("Aurora DB cluster");
    expect(showSetting(line("storageSituation"), v)).toBe("On persistent volumes: copy them to S3");
    expect(showSetting(line("trustScope"), v)).toBe("Only Studio's service accounts");
    expect(showSetting(line("dbTls"), v)).toBe("Off: no TLS (not recommended)");
    expect(showSetting(line("dbHostOverride"), v)).toBe("127.0.0.1:5433 (host/port override)");
    expect(showSetting(line("dbCaBundle"), v)).toBe("The RDS CA bundles (default)");
    expect(showSetting(line("rdsWaitTimeoutMinutes"), { rdsWaitTimeoutMinutes: 45 })).toBe("45 minutes");
    expect(showSetting(line("defaultPrivileges"), { defaultPrivileges: true })).toBe("Yes");
  });
});
