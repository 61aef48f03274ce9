/**
 * Secrets come from the environment only. Outside production a development default keeps
 * `npm start` working with no setup; in production a missing or weak secret stops the process
 * before it serves anything, with a message that says what to set.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The secrets a production process must be given (never defaulted, never committed). */
const requiredInProduction = [
  {
    name: "AUTH_SECRET",
    why: "it signs every session token",
    minLength: 32,
  },
] as const;

export function assertProductionSecrets(
  env: NodeJS.ProcessEnv,
  devDefaults: Record<string, string> = {},
): void {
  if (env.NODE_ENV !== "production") return;
  for (const s of requiredInProduction) {
    const value = env[s.name];
    if (!value) {
      throw new ConfigError(
        `${s.name} must be set when NODE_ENV=production (${s.why}); there is no default. ` +
          `Generate one with: openssl rand -base64 48`,
      );
    }
    if (value.length < s.minLength) {
      throw new ConfigError(`${s.name} must be at least ${s.minLength} characters when NODE_ENV=production`);
    }
    if (devDefaults[s.name] === value) {
      throw new ConfigError(`${s.name} is the development default; set your own when NODE_ENV=production`);
    }
  }
}
