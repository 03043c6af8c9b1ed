// The step catalogue as a dependency graph: checked once (unknown dependencies, cycles), ordered
// topologically, and asked who depends on whom.
import type { Step, StepKey } from "../steps/types";

export interface StepGraph {
  /** Steps in dependency order (a step after everything it depends on), catalogue order among equals. */
  ordered: Step[];
  byKey: ReadonlyMap<StepKey, Step>;
  /** Every step that depends on `key`, directly or through others. */
  dependantsOf(key: StepKey): Set<StepKey>;
}

export function buildStepGraph(steps: readonly Step[]): StepGraph {
  const byKey = new Map<StepKey, Step>();
  for (const step of steps) {
    if (byKey.has(step.key)) throw new Error(`Step catalogue lists "${step.key}" twice: step keys must be unique`);
    byKey.set(step.key, step);
  }
  for (const step of steps) {
    for (const dep of step.dependsOn) {
      if (!byKey.has(dep)) throw new Error(`Step "${step.key}" depends on "${dep}", which is not in the step catalogue`);
    }
  }

  const ordered: Step[] = [];
  const state = new Map<StepKey, "visiting" | "done">();
  const visit = (step: Step, path: StepKey[]) => {
    const seen = state.get(step.key);
    if (seen === "done") return;
    if (seen === "visiting") throw new Error(`Step dependencies form a cycle: ${[...path, step.key].join(" → ")}`);
    state.set(step.key, "visiting");
    for (const dep of step.dependsOn) visit(byKey.get(dep)!, [...path, step.key]);
    state.set(step.key, "done");
    ordered.push(step);
  };
  for (const step of steps) visit(step, []);

  const dependantsOf = (key: StepKey): Set<StepKey> => {
    const found = new Set<StepKey>();
    let grew = true;
    while (grew) {
      grew = false;
      for (const step of ordered) {
        if (found.has(step.key)) continue;
        if (step.dependsOn.some((d) => d === key || found.has(d))) {
          found.add(step.key);
          grew = true;
        }
      }
    }
    return found;
  };

  return { ordered, byKey, dependantsOf };
}
