import type { IncomingMessage } from "node:http";

/** The header serve-next.mjs sets on every request for the /trpc proxy (see next-peer.mjs). */
export declare const peerHeader: string;
export declare function stampPeer(req: IncomingMessage): void;
export declare function peerOf(headers: Headers): { address: string; proto: "http" | "https" } | null;
