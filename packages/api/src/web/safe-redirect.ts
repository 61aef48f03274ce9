/**
 * Where to go after signing in, from a `?next=` parameter anyone can write into a link. Both
 * apps' sign-in pages use this one check (no open redirect): `next` is parsed as a URL against
 * the app's own origin, the way the browser will resolve it, and only a path on that same origin
 * is followed. Prefix checks on the raw string are not enough: browsers read `/\host`,
 * `/<TAB>/host` and `/.//host` as another host.
 */
export function safeNextPath(next: string | null | undefined, ownOrigin: string, fallback: string): string {
  if (!next) return fallback;
  let url: URL;
  try {
    url = new URL(next, ownOrigin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(ownOrigin).origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path that itself starts with `//` (e.g. from `/.//host` once dots are resolved) would be
  // read as another host by the router that navigates to it.
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}
