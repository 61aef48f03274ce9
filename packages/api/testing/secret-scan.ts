/**
 * Finds secret-looking strings in source files: known credential formats, private keys, and
 * secret-named settings assigned a random-looking literal. Used by the test that scans every
 * file git tracks (or would track), so a key pasted into the repository fails the build.
 */
export interface SecretFinding {
  file: string;
  line: number;
  rule: string;
  /** The match with its middle masked, so the report does not repeat the secret. */
  excerpt: string;
}

/** Credential formats that are secret by their shape alone. */
const formats: { rule: string; re: RegExp }[] = [
  { rule: "private key", re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { rule: "AWS access key id", re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { rule: "GitHub token", re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/ },
  { rule: "Slack token", re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { rule: "Stripe live key", re: /\b(?:sk|rk)_live_[A-Za-z0-9]{20,}\b/ },
  { rule: "Google API key", re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { rule: "npm token", re: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { rule: "OpenAI/Anthropic key", re: /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{32,}/ },
  { rule: "JSON Web Token", re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
];

/** `scheme://user:password@host` with a real-looking password. */
const credentialUrl = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/'"`]+:([^\s@/'"`]+)@[^\s'"`]+/gi;

/** A secret-named key assigned a quoted literal: `AUTH_SECRET: "…"`, `apiKey = '…'`, `"password": "…"`. */
const secretAssignment =
  /\b([A-Za-z_]*(?:secret|passw(?:or)?d|token|api_?key|apikey|private_?key|access_?key|client_?secret)[A-Za-z_]*)["']?\s*[:=]\s*["'`]([^"'`\s]{12,})["'`]/gi;

/**
 * Values that look like secrets but protect nothing, each with why it is allowed. Empty on
 * purpose: tests, the bench and the chaos suite generate their secrets per run, and development
 * reads its own from .local/secrets/ (infra/local/secrets.mjs).
 */
const allowedValues: Record<string, string> = {};

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** Random-looking: high entropy, letters and digits mixed, and not a placeholder or an expression. */
function looksRandom(value: string): boolean {
  if (allowedValues[value]) return false;
  if (/\$\{|\{\{|^<|^%|^process\.env|^env\./.test(value)) return false; // an expression, not a literal
  if (/(?:change[-_]?me|example|placeholder|dummy|your[-_]|xxx|redacted)/i.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  return value.length >= 16 && classes >= 2 && /\d/.test(value) && entropy(value) >= 3.5;
}

const mask = (s: string) => (s.length <= 8 ? "****" : `${s.slice(0, 4)}…${s.slice(-2)}`);

export function scanText(file: string, text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (line.length > 5_000) return; // minified or data lines: formats below are line-sized
    const at = (rule: string, match: string) =>
      findings.push({ file, line: i + 1, rule, excerpt: mask(match) });
    for (const f of formats) {
      const m = f.re.exec(line);
      if (m) at(f.rule, m[0]);
    }
    for (const m of line.matchAll(credentialUrl)) {
      const password = decodeURIComponent(m[1]!);
      if (!/^(?:password|pass|secret|postgres|user|\$\{.*\}|\*+)$/i.test(password))
        at("password in a URL", m[0]);
    }
    for (const m of line.matchAll(secretAssignment)) {
      if (looksRandom(m[2]!)) at(`secret-looking value for ${m[1]}`, m[2]!);
    }
  });
  return findings;
}

/** Files that should never be in the repository at all, whatever they contain. */
export function forbiddenFile(path: string): string | null {
  const name = path.split("/").pop() ?? path;
  if (/^\.env(?:\..+)?$/.test(name) && !/\.(?:example|sample|template)$/.test(name))
    return "environment file";
  if (/\.(?:pem|key|p12|pfx|jks|keystore)$/i.test(name)) return "key or certificate store";
  if (/^id_(?:rsa|dsa|ecdsa|ed25519)$/.test(name)) return "SSH private key";
  return null;
}
