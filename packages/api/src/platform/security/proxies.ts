import { BlockList, isIP } from "node:net";

/**
 * Lists of trusted proxies: the API's TRUSTED_PROXIES (whose X-Forwarded-For it believes) and
 * the Next apps' APP_TRUSTED_PROXIES (whose X-Forwarded-For their /trpc proxy extends). No
 * relative imports: the apps' bundler loads this file through the package's exports
 * (`@baedal/api/security/proxies`).
 */

const familyOf = (ip: string) => (isIP(ip) === 6 ? "ipv6" : "ipv4");
/** Whether `ip` is one of the proxies whose forwarding headers we believe. */
export const trusted = (proxies: BlockList, ip: string | undefined | null): ip is string =>
  !!ip && isIP(ip) !== 0 && proxies.check(ip, familyOf(ip));

/**
 * `loopback`, single addresses and CIDR ranges (10.0.0.0/8, fd00::/8); `setting` names the
 * variable in error messages (the API's TRUSTED_PROXIES, the Next apps' APP_TRUSTED_PROXIES).
 */
export function parseProxies(raw: string, setting = "TRUSTED_PROXIES"): BlockList {
  const block = new BlockList();
  const entries = raw
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (entry === "loopback") {
      block.addSubnet("127.0.0.0", 8, "ipv4");
      block.addAddress("::1", "ipv6");
      block.addSubnet("::ffff:127.0.0.0", 104, "ipv6");
      continue;
    }
    const [address, bits] = entry.split("/");
    const family = isIP(address ?? "");
    if (!family) throw new Error(`${setting}: "${entry}" is not an IP address or CIDR range`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) block.addAddress(address!, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
        throw new Error(`${setting}: "${entry}" has a bad prefix length`);
      }
      block.addSubnet(address!, prefix, type);
    }
  }
  return block;
}
