/**
 * Raw HTTP against a context process, bypassing the tRPC client: the security tests need to see
 * status codes and headers, and to send what no well-behaved client sends.
 */
import http from "node:http";
import { sessionDataCookie, type Actor } from "../../../src/platform/auth.js";
import { issueToken } from "../../../testing/issue-token.js";
import { testAuthSecret } from "../harness.js";


export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body when it is JSON, else undefined (any: tests read into it freely). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export const bearer = async (actor: Actor) => ({
  authorization: `Bearer ${await issueToken(testAuthSecret, actor)}`,
});
export const sessionCookieOf = async (actor: Actor) => ({
  cookie: `${sessionDataCookie()}=${await issueToken(testAuthSecret, actor)}`,
});

async function toRaw(res: Response): Promise<RawResponse> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A tRPC mutation as the browser (through the Next proxy) sends it: JSON POST, the app's Origin. */
export async function post(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  opts: { raw?: boolean } = {},
): Promise<RawResponse> {
  const res = await fetch(`${baseUrl}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: opts.raw ? (body as string) : JSON.stringify(body),
  });
  return toRaw(res);
}

/** A tRPC query (GET, input in the query string; `raw`: the input string is sent as it is). */
export async function get(
  baseUrl: string,
  path: string,
  input?: unknown,
  headers: Record<string, string> = {},
  opts: { raw?: boolean } = {},
): Promise<RawResponse> {
  const text = opts.raw ? (input as string) : JSON.stringify(input);
  const qs = input === undefined ? "" : `?input=${encodeURIComponent(text)}`;
  return toRaw(await fetch(`${baseUrl}/trpc/${path}${qs}`, { headers }));
}

/**
 * Opens a tRPC SSE subscription and reports how it started: tRPC always answers 200 and first
 * sends `connected`; a refused subscription then sends `serialized-error` with the tRPC error,
 * a running one sends data (or only pings). Reads for `windowMs` at most, then closes the stream.
 */
export async function sseOutcome(
  baseUrl: string,
  path: string,
  input: unknown,
  headers: Record<string, string> = {},
  windowMs = 2_000,
): Promise<{
  status: number;
  connected: boolean;
  error?: { code: string; message: string };
  data?: unknown;
}> {
  const url = `${baseUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;
  return new Promise((resolve, reject) => {
    let connected = false;
    const req = http.get(url, { headers: { accept: "text/event-stream", ...headers } }, (res) => {
      let buf = "";
      const done = (extra: { error?: { code: string; message: string }; data?: unknown } = {}) => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, connected, ...extra });
      };
      const timer = setTimeout(() => done(), windowMs);
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buf += chunk;
        for (let end = buf.indexOf("\n\n"); end >= 0; end = buf.indexOf("\n\n")) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? "message";
          const raw = /^data: ?(.*)$/m.exec(block)?.[1];
          const data = raw === undefined ? undefined : JSON.parse(raw);
          if (event === "connected") connected = true;
          else if (event === "serialized-error") {
            const e =
              (data as { error?: { message: string; data?: { code: string } } }).error ?? (data as never);
            return done({
              error: {
                code: (e as { data: { code: string } }).data.code,
                message: (e as { message: string }).message,
              },
            });
          } else if (event === "message") return done({ data });
        }
      });
      // Not a stream (e.g. a JSON error before the procedure ran): the body is the answer.
      res.on("end", () => {
        let json: { error?: { message: string; data: { code: string } } } | undefined;
        try {
          json = JSON.parse(buf);
        } catch {
          json = undefined;
        }
        done(json?.error ? { error: { code: json.error.data.code, message: json.error.message } } : {});
      });
      res.on("error", () => undefined);
    });
    req.on("error", (err) => {
      if ((err as NodeJS.ErrnoException).code !== "ECONNRESET") reject(err);
    });
  });
}
