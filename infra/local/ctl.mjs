// `npm run ctl -- <status | stop NAME | start NAME | restart NAME>`: controls the processes of the
// `npm start` running in this checkout, e.g. to show that ordering goes on while store is down:
//   npm run ctl -- stop store     store stays down (not restarted) until…
//   npm run ctl -- start store    …it is started again and catches up on what it missed
//   npm run ctl -- status         every process: state, pid, uptime, restarts, health
// NAME is a context (store, delivery, …), web or shop-console; with BAEDAL_SPLIT=1 also
// api:<context>, without it api (the one process of every context). `--socket PATH` talks to
// another control socket (tests). Node built-ins only.
import { actions, defaultSocketPath, sendControl } from "./control.mjs";
import { formatMs } from "./supervisor.mjs";

const usage = `usage: npm run ctl -- status | stop NAME | start NAME | restart NAME
  NAME: a context (identity, catalog, review, order, payment, store, delivery, mypage,
        notification, report), web or shop-console; api (all contexts' one process, without
        BAEDAL_SPLIT=1)`;

/** The status table, one line per process. */
function formatStatus({ mode, processes }) {
  const head = mode === "split" ? "one process per context (BAEDAL_SPLIT=1)" : "all contexts in one process";
  const rows = processes.map((p) => {
    const state =
      p.state === "backoff" && p.restartInMs !== null
        ? `crashed, restart in ${formatMs(p.restartInMs)}`
        : p.state;
    const last = p.lastExit
      ? `last exit: ${p.lastExit.signal ? `signal ${p.lastExit.signal}` : `code ${p.lastExit.code}`}`
      : "";
    return [
      p.name,
      state,
      p.pid ?? "-",
      p.upMs === null ? "-" : formatMs(p.upMs),
      String(p.restarts),
      p.health ?? "-",
      `:${p.port}`,
      last,
    ];
  });
  const header = ["NAME", "STATE", "PID", "UP", "RESTARTS", "HEALTH", "PORT", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) =>
    r
      .map((c, i) => String(c).padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const lines = [`mode: ${head}`, line(header), ...rows.map(line)];
  const api = processes.find((p) => p.name === "api");
  if (api?.stoppedContexts?.length) {
    lines.push(
      `api runs: ${api.contexts.join(", ") || "nothing"}; stopped: ${api.stoppedContexts.join(", ")}`,
    );
  }
  return lines.join("\n");
}

async function main(argv) {
  let socketPath = defaultSocketPath();
  const args = [...argv];
  const at = args.indexOf("--socket");
  if (at !== -1) {
    socketPath = args[at + 1];
    args.splice(at, 2);
  }
  const [action, target, ...rest] = args;
  if (
    !actions.includes(action) ||
    rest.length ||
    (action === "status") !== (target === undefined) ||
    !socketPath
  ) {
    console.error(usage);
    return 2;
  }
  const answer = await sendControl(socketPath, target === undefined ? { action } : { action, target });
  if (!answer.ok) {
    console.error(answer.message);
    return 1;
  }
  console.log(answer.status ? formatStatus(answer.status) : answer.message);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(err.message);
    process.exitCode = 1;
  },
);
