export { loadSecurityConfig, type SecurityConfig } from "./config.js";
export { parseProxies, trusted } from "./proxies.js";
export { HttpGuard } from "./http-guard.js";
export { csrfRefusal } from "./csrf.js";
export { clientIp } from "./client-ip.js";
export { assertNoDevelopmentSwitches, ConfigError, resolveSecrets } from "./secrets.js";
export { RateLimits, parseBudget, rateLimitTable } from "./rate-limit.js";
export { placeOrderLimits, signInLimits } from "./limits.js";
