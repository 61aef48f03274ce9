import { z } from "zod";

/**
 * What the Next apps' server side reads from its environment (README "Environment"): the `/trpc`
 * proxy's targets and trusted peers, and the page headers' switches. The apps are processes of
 * their own and bundle this file, so it is apart from platform/config.ts (which reads secrets from
 * disk at import). Read per request, as before: a test or an operator's change of `process.env`
 * is seen by the next call. serve-next.mjs, plain JavaScript, reads its own PORT and HOSTNAME.
 */
export const webEnvSchema = z.object({
  NODE_ENV: z.string().optional(),
  COOKIE_SECURE: z.string().optional(),
  // All contexts in one process; a context's own API_URL_<CONTEXT> wins over it.
  API_URL: z.string().optional(),
  APP_TRUSTED_PROXIES: z.string().optional(),
});
/** `API_URL_ORDER`, `API_URL_STORE`, …: where one context's process answers (BAEDAL_SPLIT=1, Kubernetes). */
export const contextApiUrlVariable = "API_URL_<CONTEXT>";
export type WebEnv = z.infer<typeof webEnvSchema> & Partial<Record<`API_URL_${string}`, string>>;

/** The apps' environment as it is now. */
export function webEnv(): WebEnv {
  const out: WebEnv = webEnvSchema.parse(process.env);
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith("API_URL_") && value !== undefined) out[name as `API_URL_${string}`] = value;
  }
  return out;
}
