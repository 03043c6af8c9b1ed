// Which chart layout a values file is written for, from the keys it carries: pasted current values, or the output
// of `helm get values` (with or without --all). The layouts differ at the top: 2.x and the 3.0 release candidates
// up to rc.13 have `backend` and `eventIngestion.enabled`; 3.0.0-rc.16 has one `app` and `eventIngestion.mode`
// (see profiles.ts for the sources). Pure.
import { isMap, isScalar, parseDocument, type Document } from "yaml";
import { EVENT_INGESTION_MODES, type ChartProfile, type EventIngestionMode } from "@/lib/config/environment";
import type { ChartLayout } from "./profiles";

export interface ProfileDetection {
  layout: ChartLayout | null;
  /** The profile to pick: studio-2.x for the 2.x layout (rc.11–rc.13 read the same paths), rc.16 for `app`. */
  profile: ChartProfile | null;
  /** For the app layout: the file's eventIngestion.mode, or the chart's default (colocated) when it sets none. */
  eventIngestionMode: EventIngestionMode | null;
  /** The keys that decided, as `path (layout)`. */
  evidence: string[];
  /** Why no layout was picked although keys of one were found (keys of both, an unknown mode). */
  conflict: string | null;
}

/** `helm get values` prints a heading line before the YAML. */
const HELM_HEADING = /^(USER-SUPPLIED|COMPUTED) VALUES:\s*$/m;

/** Reads a values file (or `helm get values` output) and says which chart layout it is written for. */
export function detectChartProfile(text: string): ProfileDetection {
  const doc = parseDocument(stripHelmHeading(text));
  return detectFromDocument(doc);
}

export function stripHelmHeading(text: string): string {
  const match = HELM_HEADING.exec(text);
  return match && text.slice(0, match.index).trim() === "" ? text.slice(match.index + match[0].length).replace(/^\n/, "") : text;
}

export function detectFromDocument(doc: Document): ProfileDetection {
  const none: ProfileDetection = { layout: null, profile: null, eventIngestionMode: null, evidence: [], conflict: null };
  if (doc.errors.length || !isMap(doc.contents)) return none;
  const has = (path: string) => doc.hasIn(path.split("."));
  const app: string[] = [];
  const twoX: string[] = [];
  for (const path of ["app", "eventIngestion.mode", "config.database.databaseName"]) if (has(path)) app.push(`${path} (app layout, 3.0.0-rc.16)`);
  for (const path of ["backend", "eventIngestion.enabled", "config.database.backendDatabaseName", "webClient"])
    if (has(path)) twoX.push(`${path} (2.x layout: 2.x and 3.0.0-rc.9 – rc.13)`);
  const evidence = [...app, ...twoX];
  if (app.length && twoX.length)
    return { ...none, evidence, conflict: "the file has keys of both layouts: a 2.x file with some 3.0 keys added, or the reverse" };
  if (twoX.length) return { ...none, layout: "2.x", profile: "studio-2.x", evidence };
  if (!app.length) return none;
  const modeNode = doc.getIn(["eventIngestion", "mode"], true);
  const raw = isScalar(modeNode) ? modeNode.value : modeNode;
  if (raw === undefined || raw === null || raw === "")
    return { ...none, layout: "app", profile: "studio-3.0-rc.16", eventIngestionMode: "colocated", evidence };
  const mode = String(raw);
  if (!(EVENT_INGESTION_MODES as readonly string[]).includes(mode))
    return { ...none, layout: "app", evidence, conflict: `eventIngestion.mode is ${JSON.stringify(mode)}; the chart takes colocated, separate or disabled` };
  return { ...none, layout: "app", profile: "studio-3.0-rc.16", eventIngestionMode: mode as EventIngestionMode, evidence };
}

/**
 * The profile for a chart version (`helm list` shows it, as `studio-3.0.0-rc.12` or `3.0.0-rc.12`), or null with
 * the reason when no profile was read from that version's sources.
 */
export function profileForChartVersion(version: string): { profile: ChartProfile | null; reason: string } {
  const m = /^(?:studio-)?v?(\d+)\.(\d+)\.(\d+)(?:-rc\.?(\d+))?$/.exec(version.trim());
  if (!m) return { profile: null, reason: `"${version}" is not a chart version such as 2.6.0 or 3.0.0-rc.16` };
  const [major, minor, , rc] = [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? null : Number(m[4])];
  if (major === 2)
    return minor < 2
      ? { profile: "studio-2.x", reason: "chart 2.0.x/2.1.x reads the 2.x paths, but its migration job ignores backend.migration.serviceAccount" }
      : { profile: "studio-2.x", reason: "Studio chart 2.x" };
  if (major === 3 && minor === 0 && rc !== null) {
    if (rc <= 13) return { profile: "studio-3.0-rc.11", reason: "3.0.0 release candidates up to rc.13 read the 2.x paths" };
    if (rc === 16) return { profile: "studio-3.0-rc.16", reason: "chart 3.0.0-rc.16: the app layout" };
  }
  return { profile: null, reason: `chart ${version} is not covered by a profile (its sources were not read): use the custom profile with the paths from its values.yaml` };
}
