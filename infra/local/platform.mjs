// The processes `npm start` runs under its Supervisor, and what `npm run ctl -- <action> <name>`
// does to them. Node built-ins only.
//
// Names: a context (`store`), `web`, `shop-console`; with BAEDAL_SPLIT=1 every context is its own
// process `api:<context>`, without it one process `api` runs them all. There, stopping a context
// restarts that process without it (every context is down for the few seconds of the restart,
// then the others run on without it, which is what a demonstration of a stopped context needs);
// starting it restarts the process with it again. `stop api` stops the whole process.
import { formatMs } from "./supervisor.mjs";
import { repoRoot, sleep } from "./lib.mjs";

/**
 * How an API process is started: `node` (the contexts' Node, see node24.mjs `contextNode`; this
 * process's own by default) on the built entry point (packages/api/dist), its contexts.
 */
export function apiCommand(contexts, node = process.execPath) {
  return {
    cmd: node,
    args: ["--enable-source-maps", "packages/api/dist/main.js", ...contexts],
    cwd: repoRoot,
  };
}

/** True when `url` answers 2xx within 1.5 s. */
export async function answersHealthy(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_500) });
    return res.ok;
  } catch {
    return false;
  }
}

export class LocalPlatform {
  /**
   * @param {object} o
   * @param {import("./supervisor.mjs").Supervisor} o.supervisor
   * @param {boolean} o.split one process per context
   * @param {Record<string, number>} o.contextPorts every context and its port (split mode)
   * @param {number} o.allInOnePort
   * @param {NodeJS.ProcessEnv} o.env
   * @param {(contexts: string[]) => { cmd: string, args: string[], cwd: string }} [o.command]
   * @param {number} [o.healthTimeoutMs] how long `start` waits for a process to answer
   * @param {(msg: string) => void} [o.log] where control requests are told (npm start's terminal)
   */
  constructor({
    supervisor,
    split,
    contextPorts,
    allInOnePort,
    env,
    command = apiCommand,
    healthTimeoutMs = 120_000,
    log = () => undefined,
  }) {
    this.supervisor = supervisor;
    this.log = log;
    this.split = split;
    this.contexts = Object.keys(contextPorts);
    this.healthTimeoutMs = healthTimeoutMs;
    /** All-in-one: contexts stopped through ctl, left out of the process's command line. */
    this.stoppedContexts = new Set();
    /** name → { port, healthUrl } */
    this.processes = new Map();
    if (split) {
      for (const [context, port] of Object.entries(contextPorts)) {
        const { cmd, args, cwd } = command([context]);
        this.#add(
          { name: `api:${context}`, cmd, args, cwd, env: { ...env, PORT: String(port) } },
          port,
          "/healthz",
        );
      }
    } else {
      const { cmd, cwd } = command(["all"]);
      this.#add(
        {
          name: "api",
          cmd,
          args: () =>
            command(this.runningContexts().length === this.contexts.length ? ["all"] : this.runningContexts())
              .args,
          cwd,
          env: { ...env, PORT: String(allInOnePort) },
        },
        allInOnePort,
        "/healthz",
      );
    }
  }

  #add(spec, port, healthPath) {
    this.supervisor.add(spec);
    this.processes.set(spec.name, { port, healthUrl: `http://127.0.0.1:${port}${healthPath}` });
  }

  /** A Next app (or any other process) to supervise, healthy when `healthUrl` answers. */
  addApp({ name, cmd, args, cwd, env, port }) {
    this.#add({ name, cmd, args, cwd, env }, port, "/");
  }

  /** The API processes: [{ name, port, healthUrl }]. */
  apiProcesses() {
    return [...this.processes.entries()]
      .filter(([name]) => name === "api" || name.startsWith("api:"))
      .map(([name, p]) => ({ name, ...p }));
  }

  /** All-in-one: the contexts the API process runs (every one not stopped through ctl). */
  runningContexts() {
    return this.contexts.filter((c) => !this.stoppedContexts.has(c));
  }

  /**
   * Waits until `name` answers its health URL. Throws when it is stopped meanwhile or does not
   * answer within the timeout; a crash on the way is the supervisor's to restart, so it waits on.
   */
  async waitHealthy(name, timeoutMs = this.healthTimeoutMs) {
    const { healthUrl } = this.processes.get(name);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.supervisor.wanted(name)) throw new Error(`${name} was stopped before it answered`);
      if (this.supervisor.child(name) && (await answersHealthy(healthUrl))) return;
      await sleep(300);
    }
    throw new Error(`${name} does not answer ${healthUrl} after ${formatMs(timeoutMs)}; see its log`);
  }

  /** What `npm run ctl -- status` shows. */
  async status() {
    const rows = await Promise.all(
      this.supervisor.status().map(async (s) => {
        const p = this.processes.get(s.name);
        const health = s.pid ? ((await answersHealthy(p.healthUrl)) ? "ok" : "not answering") : null;
        const row = { ...s, port: p.port, health };
        if (s.name === "api")
          Object.assign(row, {
            contexts: this.runningContexts(),
            stoppedContexts: [...this.stoppedContexts],
          });
        return row;
      }),
    );
    return { mode: this.split ? "split" : "all-in-one", processes: rows };
  }

  /** Handles one control request (control.mjs has checked its shape). */
  async handle({ action, target }) {
    if (action === "status") return { status: await this.status() };
    const what = this.#resolve(target);
    this.log(`npm run ctl -- ${action} ${target}`);
    const message = what.context
      ? await this.#contextAction(action, what.context)
      : await this.#processAction(action, what.process);
    this.log(message);
    return { message };
  }

  /** A ctl name → the process it means, or (all-in-one) the context inside the one process. */
  #resolve(target) {
    const context = target.startsWith("api:") ? target.slice(4) : target;
    if (this.split) {
      if (this.contexts.includes(context)) return { process: `api:${context}` };
      if (target === "api")
        throw new Error(
          `with BAEDAL_SPLIT=1 every context is its own process: name one (${this.contexts.join(", ")})`,
        );
    } else if (this.contexts.includes(context)) {
      return { context };
    }
    if (this.processes.has(target)) return { process: target };
    throw new Error(
      `unknown name "${target}"; choose from ${[...this.contexts, ...this.processes.keys()].join(", ")}`,
    );
  }

  async #processAction(action, name) {
    const s = this.supervisor.status().find((x) => x.name === name);
    if (action === "stop") {
      if (!this.supervisor.wanted(name)) return `${name} is already stopped`;
      await this.supervisor.stop(name);
      return `${name} stopped; it stays down until \`npm run ctl -- start ${this.#short(name)}\``;
    }
    if (action === "start" && s.pid) return `${name} is already running (pid ${s.pid})`;
    if (action === "restart") await this.supervisor.restart(name);
    else this.supervisor.start(name);
    await this.waitHealthy(name);
    return `${name} is up (pid ${this.supervisor.child(name)?.pid})`;
  }

  /** All-in-one: a context is stopped or started by restarting the one process without / with it. */
  async #contextAction(action, context) {
    const apiWanted = this.supervisor.wanted("api");
    if (action === "stop") {
      if (this.stoppedContexts.has(context)) return `${context} is already stopped`;
      this.stoppedContexts.add(context);
      if (!apiWanted) return `${context} will stay out of the API process when it starts again`;
      if (this.runningContexts().length === 0) {
        await this.supervisor.stop("api");
        return `${context} stopped; no context is left, so the API process is stopped`;
      }
      await this.#restartApi();
      return (
        `${context} stopped: all contexts run in one process here, so it was restarted without ${context} ` +
        `(every context was down for a few seconds); ${context} stays down until \`npm run ctl -- start ${context}\``
      );
    }
    if (action === "start") {
      if (!this.stoppedContexts.has(context) && apiWanted)
        return `${context} is already running (in the API process)`;
      this.stoppedContexts.delete(context);
    }
    await this.#restartApi();
    return action === "start"
      ? `${context} is up: the API process was restarted with it (pid ${this.supervisor.child("api")?.pid})`
      : `the API process was restarted (pid ${this.supervisor.child("api")?.pid})`;
  }

  async #restartApi() {
    await this.supervisor.restart("api");
    await this.waitHealthy("api");
  }

  #short(name) {
    return name.startsWith("api:") ? name.slice(4) : name;
  }
}
