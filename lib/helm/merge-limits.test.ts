// A pasted values.yaml is bounded: lines are capped, the line diff gives up past an edit length (saying the diff
// is too large instead of freezing the server), and the merge itself runs on a worker thread, so /api/health,
// pages and runs keep answering while it works.
import { describe, expect, it } from "vitest";
import { TEST_ROLE_ARNS, testSettings } from "@/tests/support/settings";
import { lineDiff, MAX_VALUES_LINES, mergeValues, ValuesLimitError } from "./index";
import { mergeValuesOffThread } from "./merge-off-thread";
import { failureReply } from "./merge-worker";
import { mergeWorkerFromSources } from "@/tests/support/merge-worker";

mergeWorkerFromSources();

/** Every line "changes" once the console prints it (the extra spaces go): the worst case for a line diff. */
const spaced = (n: number) => Array.from({ length: n }, (_, i) => `key${i}:    value${i}`).join("\n") + "\n";

describe("merge limits", () => {
  it("a stack exhausted by deep nesting is a limit the caller is told about, not an unexpected error", () => {
    expect(failureReply(7, new RangeError("Maximum call stack size exceeded"))).toEqual({ id: 7, ok: false, kind: "limit", message: "values.yaml nests too deeply to merge" });
    expect(failureReply(8, new Error("boom"))).toMatchObject({ kind: "other" });
  });

  it("refuses more than MAX_VALUES_LINES lines, naming the limit and the count", () => {
    expect(MAX_VALUES_LINES).toBe(10_000);
    const text = Array.from({ length: MAX_VALUES_LINES + 1 }, (_, i) => `k${i}: v`).join("\n");
    expect(() => mergeValues(text, testSettings(), TEST_ROLE_ARNS)).toThrow(ValuesLimitError);
    expect(() => mergeValues(text, testSettings(), TEST_ROLE_ARNS)).toThrow("must be at most 10,000 lines (this one has 10,001)");
  });

  it("gives up on a diff whose edit is too long and says so, instead of working quadratically", () => {
    const before = spaced(6000);
    const after = before.replace(/: +/g, ": ");
    expect(lineDiff(before, after)).toBeNull();
    const merged = mergeValues(before, testSettings(), TEST_ROLE_ARNS);
    expect(merged.diff).toBeNull();
    // The merged file itself is complete.
    expect(merged.yaml).toContain("key5999: value5999");
    expect(merged.yaml).toContain("iamDbUsername: studio_iam_user");
  });

  it("still shows small diffs", () => {
    expect(lineDiff("a: 1\nb: 2\n", "a: 1\nb: 3\n")).toEqual([
      { kind: "same", text: "a: 1" },
      { kind: "removed", text: "b: 2" },
      { kind: "added", text: "b: 3" },
    ]);
  });

  it("merges on a worker thread: the event loop keeps turning while a large paste is merged", async () => {
    let turns = 0;
    const timer = setInterval(() => turns++, 1);
    try {
      const merged = await mergeValuesOffThread(spaced(3000), testSettings(), TEST_ROLE_ARNS);
      expect(merged.yaml).toContain("key2999: value2999");
    } finally {
      clearInterval(timer);
    }
    expect(turns).toBeGreaterThan(0);
  });

  it("reports the pasted file's own errors from the worker with their position", async () => {
    await expect(mergeValuesOffThread("a: [1, 2\n", testSettings(), TEST_ROLE_ARNS)).rejects.toMatchObject({
      name: "ValuesYamlError",
      line: expect.any(Number),
      column: expect.any(Number),
    });
    const tooLong = Array.from({ length: MAX_VALUES_LINES + 5 }, () => "k: v").join("\n");
    await expect(mergeValuesOffThread(tooLong, testSettings(), TEST_ROLE_ARNS)).rejects.toBeInstanceOf(ValuesLimitError);
  });
});
