import { logger } from "./logger.js";

/**
 * A saga written as FTGO's `CreateOrderSaga` reads: a list of steps, top to bottom, each with
 * the compensation that undoes it written beside it. `runSaga` runs the steps in order on one
 * state object. When a step fails, the compensations of the steps already done run, last first,
 * each told the failure (what to undo can depend on it: a declined card is closed, an unanswered
 * call is left for the reconciler), and then the failure is thrown on to the caller.
 *
 * A compensation that throws is logged and the rest still run: one undo that could not be done
 * (the database away for a moment) must not leave the earlier steps done as well, nor replace the
 * failure the caller is answered with (a declined card stays a declined card). What it left
 * undone is left to whatever reconciles that step (order's reconciler closes attempts left open).
 *
 * Some undoing cannot happen inside the failing request: a charge whose outcome is unknown is
 * voided later, in batches, by a reconciler. Such a step says so in `compensatedLater` instead
 * of leaving the reader to guess; the runner leaves it to that reconciler.
 */
export interface SagaStep<S, R> {
  /** What the step does, in the domain's words. */
  readonly name: string;
  /** Does the step. Returning `done(result)` ends the saga there (e.g. a retry already decided). */
  readonly invoke: (state: S) => Promise<void | Done<R>>;
  /** Undoes the step after a later step failed with `failure`. */
  readonly compensate?: (state: S, failure: unknown) => Promise<void>;
  /** Who undoes the step when it cannot be undone at once, and how. */
  readonly compensatedLater?: string;
}

export interface Done<R> {
  readonly done: R;
}

export const done = <R>(result: R): Done<R> => ({ done: result });

/** The steps of one saga, and what it answers when every step is done. */
export interface SagaDefinition<S, R> {
  readonly steps: readonly SagaStep<S, R>[];
  readonly result: (state: S) => R;
}

export async function runSaga<S, R>(saga: SagaDefinition<S, R>, state: S): Promise<R> {
  const finished: SagaStep<S, R>[] = [];
  for (const step of saga.steps) {
    let outcome: void | Done<R>;
    try {
      outcome = await step.invoke(state);
    } catch (failure) {
      await compensate(finished, state, failure, step.name);
      throw failure;
    }
    if (outcome) return outcome.done;
    finished.push(step);
  }
  return saga.result(state);
}

/** Undoes the finished steps, last first; a compensation that throws is logged, the next still runs. */
async function compensate<S, R>(finished: SagaStep<S, R>[], state: S, failure: unknown, failedStep: string) {
  for (const earlier of [...finished].reverse()) {
    if (!earlier.compensate) continue;
    try {
      await earlier.compensate(state, failure);
    } catch (err) {
      logger.error(
        { step: earlier.name, failedStep, err: String(err), failure: String(failure) },
        "saga: a compensation failed; the remaining ones still run and the caller gets the step's failure",
      );
    }
  }
}
