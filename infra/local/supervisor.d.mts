// Types of supervisor.mjs for its TypeScript callers (packages/api/test).
import type { ChildProcess } from "node:child_process";
import type { EventEmitter } from "node:events";

export interface Backoff {
  baseMs: number;
  maxMs: number;
  resetAfterMs: number;
}
export const defaultBackoff: Backoff;
export function restartDelay(crashesInARow: number, backoff: Pick<Backoff, "baseMs" | "maxMs">): number;
export function countCrash(before: number, upMs: number, backoff: Pick<Backoff, "resetAfterMs">): number;
export function formatMs(ms: number): string;

export interface ProcessSpec {
  name: string;
  cmd: string;
  args: string[] | (() => string[]);
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  tag?: string;
}
export interface ProcessStatus {
  name: string;
  state: "running" | "stopping" | "stopped" | "backoff";
  pid: number | null;
  upMs: number | null;
  restarts: number;
  crashesInARow: number;
  restartInMs: number | null;
  lastExit: { code: number | null; signal: string | null; upMs: number; at: string } | null;
}
type Spawn = (
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; tag?: string | null },
) => ChildProcess;

export class Supervisor extends EventEmitter {
  constructor(o?: {
    log?: (msg: string) => void;
    backoff?: Partial<Backoff>;
    stopGraceMs?: number;
    spawn?: Spawn;
  });
  readonly backoff: Backoff;
  add(spec: ProcessSpec): void;
  has(name: string): boolean;
  wanted(name: string): boolean;
  child(name: string): ChildProcess | null;
  start(name: string): ChildProcess;
  stop(name: string): Promise<void>;
  restart(name: string): Promise<ChildProcess>;
  shutdown(): Promise<void>;
  status(): ProcessStatus[];
}
