/**
 * What the memory of N new connections consists of: two V8 heap snapshots (before and after),
 * live objects grouped by constructor (or kind), and the groups that grew the most, per
 * connection. Reads the snapshot format directly (nodes are flat arrays described by
 * snapshot.meta.node_fields).
 */
import { readFileSync, rmSync } from "node:fs";
import { round } from "../lib/stats.js";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

type Groups = Map<string, { count: number; bytes: number }>;

function groupsOf(file: string): Groups {
  const s = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf("type");
  const iName = fields.indexOf("name");
  const iSize = fields.indexOf("self_size");
  const groups: Groups = new Map();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + iType]!]!;
    const name = s.strings[s.nodes[i + iName]!] ?? "";
    const key =
      type === "object" || type === "closure"
        ? `${type === "closure" ? "closure " : ""}${name || "(anonymous)"}`
        : type === "string" || type === "concatenated string" || type === "sliced string"
          ? "(strings)"
          : `(${type})`;
    const g = groups.get(key) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += s.nodes[i + iSize]!;
    groups.set(key, g);
  }
  return groups;
}

export interface HeapGrowth {
  connections: number;
  top: { group: string; objectsPerConnection: number; bytesPerConnection: number }[];
}

export function heapGrowth(beforeFile: string, afterFile: string, connections: number, top = 12): HeapGrowth {
  const a = groupsOf(beforeFile);
  const b = groupsOf(afterFile);
  rmSync(beforeFile, { force: true });
  rmSync(afterFile, { force: true });
  const growth = [...b.entries()].map(([group, g]) => {
    const before = a.get(group) ?? { count: 0, bytes: 0 };
    return { group, objects: g.count - before.count, bytes: g.bytes - before.bytes };
  });
  return {
    connections,
    top: growth
      .sort((x, y) => y.bytes - x.bytes)
      .slice(0, top)
      .map((g) => ({
        group: g.group,
        objectsPerConnection: round(g.objects / connections, 1),
        bytesPerConnection: Math.round(g.bytes / connections),
      })),
  };
}
