import { describe, expect, it, vi } from "vitest";
import { logger } from "../../../src/platform/logger.js";
import { done, runSaga, type SagaStep } from "../../../src/platform/saga.js";

/**
 * A saga that writes down what its steps and compensations did, failing where it is told (a step,
 * and the compensations named in `undoFails`).
 */
function recording(failAt: string | null, endAt: string | null = null, undoFails: string[] = []) {
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
          if (undoFails.includes(name)) throw new Error(`undo ${name} broke`);
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

  it("a compensation that throws is logged, the others still run, and the caller gets the step's failure", async () => {
    const logged = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    try {
      const s = recording("d", null, ["c"]);
      const failure = await s.run().then(
        () => null,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toBe("d failed");
      expect(s.log).toEqual(["a", "b", "c", "undo a (d failed)"]);
      expect(logged).toHaveBeenCalledTimes(1);
      expect(logged.mock.calls[0]![0]).toMatchObject({
        step: "c",
        failedStep: "d",
        err: "Error: undo c broke",
        failure: "Error: d failed",
      });
    } finally {
      logged.mockRestore();
    }
  });

  it("ends early with a step's own result, running nothing after it and undoing nothing", async () => {
    const s = recording(null, "b");
    await expect(s.run()).resolves.toBe("ended at b");
    expect(s.log).toEqual(["a", "b"]);
  });
});
