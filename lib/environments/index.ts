// The environment module: its store (settings parsed once), state, saved plans, downloads and history.
export * from "./store";
export * from "./state";
export { latestPlan, planMaxAgeMs, planRefusal, type SavedPlan } from "./plans";
export { attachment, connectionOf, databaseAddress, environmentForDownload, renderDownload, signedInDownload, valuesSource, type ValuesSource } from "./downloads";
export { latestPlanFor, livePlan, refreshPlan, takeRefreshSlot } from "./refresh-plan";
