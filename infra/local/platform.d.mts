// Types of platform.mjs for its TypeScript callers (packages/api/test).
import type { ProcessStatus, Supervisor } from "./supervisor.mjs";

export interface Command {
  cmd: string;
  args: string[];
  cwd: string;
}
export function apiCommand(contexts: string[], node?: string): Command;
export function answersHealthy(url: string): Promise<boolean>;

export interface PlatformStatus {
  mode: "split" | "all-in-one";
  processes: (ProcessStatus & {
    port: number;
    health: "ok" | "not answering" | null;
    contexts?: string[];
    stoppedContexts?: string[];
  })[];
}
export interface ControlRequest {
  action: "status" | "stop" | "start" | "restart";
  target?: string;
}

export class LocalPlatform {
  constructor(o: {
    supervisor: Supervisor;
    split: boolean;
    contextPorts: Record<string, number>;
    allInOnePort: number;
    env: NodeJS.ProcessEnv;
    command?: (contexts: string[]) => Command;
    healthTimeoutMs?: number;
    log?: (msg: string) => void;
  });
  readonly supervisor: Supervisor;
  readonly stoppedContexts: Set<string>;
  addApp(o: {
    name: string;
    cmd: string;
    args: string[];
    cwd: string;
    env: NodeJS.ProcessEnv;
    port: number;
  }): void;
  apiProcesses(): { name: string; port: number; healthUrl: string }[];
  runningContexts(): string[];
  waitHealthy(name: string, timeoutMs?: number): Promise<void>;
  status(): Promise<PlatformStatus>;
  handle(req: ControlRequest): Promise<{ message?: string; status?: PlatformStatus }>;
}
