// Preloaded (`--expose-gc --import`) into a context process the bench wants to weigh. Over IPC:
//   bench:memory        collect garbage, answer process.memoryUsage();
//   bench:heapsnapshot  collect garbage, write a heap snapshot into m.dir, answer its path.
// Inert without an IPC channel.
import { writeHeapSnapshot } from "node:v8";
import { join } from "node:path";

const collect = () => {
  globalThis.gc?.();
  globalThis.gc?.();
};

if (process.send) {
  process.channel?.unref();
  process.on("message", (m) => {
    if (m?.type === "bench:memory") {
      collect();
      process.send({ type: m.type, id: m.id, usage: process.memoryUsage() });
    } else if (m?.type === "bench:heapsnapshot") {
      collect();
      const file = writeHeapSnapshot(join(m.dir, `mypage-${Date.now()}.heapsnapshot`));
      process.send({ type: m.type, id: m.id, file });
    }
  });
}
