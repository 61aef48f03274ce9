import { describe, expect, it } from "vitest";
import { done, runSaga, type SagaStep } from "../../../src/platform/saga.js";

/** A saga that writes down what its steps and compensations did, failing where it is told. */
function recording(failAt: string | null, endAt: string | null = null) {
  const log: string[] = [];
  const step = (name: string, undo: boolean): SagaStep<string[], string> => ({
    name,
    invoke: async (s) => {
      if (name === failAt) throw new Error(`${name} failed`);
      s.push(name);
      if (name === endAt) return done(`ended at ${name}`);
    },
    compensate: undo
      ? async (s, failure) => {
          s.push(`undo ${name} (${(failure as Error).message})`);
        }
      : undefined,
  });
  const saga = {
    steps: [step("a", true), step("b", false), step("c", true), step("d", true)],
    result: () => "all done",
  };
  return { log, run: () => runSaga(saga, log) };
}

describe("runSaga", () => {
  it("runs every step in order and answers the saga's result", async () => {
    const s = recording(null);
    await expect(s.run()).resolves.toBe("all done");
    expect(s.log).toEqual(["a", "b", "c", "d"]);
  });

  it("undoes the finished steps last first, told the failure, then throws the failure on", async () => {
    const s = recording("d");
    await expect(s.run()).rejects.toThrow("d failed");
    expect(s.log).toEqual(["a", "b", "c", "undo c (d failed)", "undo a (d failed)"]);
  });

  it("does not undo the step that failed, nor a step without a compensation", async () => {
    const s = recording("c");
    await expect(s.run()).rejects.toThrow("c failed");
    expect(s.log).toEqual(["a", "b", "undo a (c failed)"]);
  });

  it("ends early with a step's own result, running nothing after it and undoing nothing", async () => {
    const s = recording(null, "b");
    await expect(s.run()).resolves.toBe("ended at b");
    expect(s.log).toEqual(["a", "b"]);
  });
});
