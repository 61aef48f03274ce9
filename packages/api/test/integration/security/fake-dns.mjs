/**
 * A resolver the test controls, loaded into a context process with NODE_OPTIONS=--import (see
 * webhook-ssrf.test.ts). FAKE_DNS maps names to the answers of their 1st, 2nd, … lookup (the last
 * one repeats), e.g. {"rebind.hooks.example": ["93.184.215.14", "127.0.0.1"]}: a name that
 * resolves somewhere public when first asked and somewhere private after — DNS rebinding. Other
 * names go to the system resolver. Both `dns.lookup` (what sockets use) and `dns/promises` are
 * replaced, so whichever the code under test resolves with sees the same sequence.
 */
import dns from "node:dns";
import { syncBuiltinESMExports } from "node:module";

const answers = JSON.parse(process.env.FAKE_DNS ?? "{}");
const asked = new Map();
const systemLookup = dns.lookup;
const systemPromisesLookup = dns.promises.lookup;

/** The next answer for a faked name, or undefined for a name the test did not fake. */
function next(hostname) {
  const name = String(hostname).toLowerCase();
  const list = answers[name];
  if (!list) return undefined;
  const n = asked.get(name) ?? 0;
  asked.set(name, n + 1);
  const address = list[Math.min(n, list.length - 1)];
  return { address, family: address.includes(":") ? 6 : 4 };
}

const optionsOf = (options) =>
  typeof options === "number" ? { family: options } : typeof options === "object" && options ? options : {};

dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === "function") [callback, options] = [options, {}];
  const answer = next(hostname);
  if (!answer) return systemLookup.call(dns, hostname, options, callback);
  process.nextTick(() =>
    optionsOf(options).all ? callback(null, [answer]) : callback(null, answer.address, answer.family),
  );
};

dns.promises.lookup = async function lookup(hostname, options) {
  const answer = next(hostname);
  if (!answer) return systemPromisesLookup.call(dns.promises, hostname, options);
  return optionsOf(options).all ? [answer] : answer;
};

syncBuiltinESMExports();
