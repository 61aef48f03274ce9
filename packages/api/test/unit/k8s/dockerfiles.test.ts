// The container builds (infra/docker), linted without a Docker engine (infra/docker/lint.mjs):
// dockerfile-utils' validator plus the rules every image keeps.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { dockerfiles, lintDockerfile, npmCiProblems } from "../../../../../infra/docker/lint.mjs";

describe("infra/docker", () => {
  it("has the worker image and the Next.js app image", () => {
    expect(
      dockerfiles()
        .map((f) => basename(f))
        .sort(),
    ).toEqual(["api.Dockerfile", "next-app.Dockerfile"]);
  });

  it.each(dockerfiles().map((f) => [basename(f), f]))(
    "%s passes the linter and the image rules",
    (_, file) => {
      expect(lintDockerfile(readFileSync(file, "utf8"))).toEqual([]);
    },
  );

  it("the worker image has one entry point taking the context's name", () => {
    const text = readFileSync(
      dockerfiles().find((f) => f.endsWith("api.Dockerfile"))!,
      "utf8",
    );
    expect(text).toContain('ENTRYPOINT ["node", "--enable-source-maps", "packages/api/dist/main.js"]');
    expect(text).toMatch(/generate-prisma\.mjs/);
    expect(text).toMatch(/RUN node packages\/api\/scripts\/build\.mjs/);
  });

  it("their `npm ci` accepts the lock file (complete for every platform)", () => {
    expect(npmCiProblems()).toEqual([]);
  }, 60_000);

  it("reports a lock file that misses another platform's package", () => {
    const lock = JSON.parse(readFileSync(new URL("../../../../../package-lock.json", import.meta.url), "utf8"));
    const turbo = Object.keys(lock.packages).filter((k) => k.startsWith("node_modules/@turbo/"));
    expect(turbo.length).toBeGreaterThan(1);
    delete lock.packages[turbo[0]!];
    expect(npmCiProblems({ lock: JSON.stringify(lock) }).join("\n")).toMatch(/Missing: @turbo\/.+ from lock file/);
  }, 60_000);

  it("reports a broken Dockerfile", () => {
    const problems = lintDockerfile(
      ["FROM node", "RUNN echo hi", "COPY package.json", "RUN npm install", "USER node", ""].join("\n"),
    );
    expect(problems).toEqual([
      "line 2: Unknown instruction: RUNN",
      "line 3: COPY requires at least two arguments",
      "not multi-stage: build in one stage, copy the result into a small runtime stage",
      "line 1: base image node is not pinned to a tag",
      "line 4: use `npm ci` (the lock file), not `npm install`",
      "line 5: USER must be a numeric non-root id (Kubernetes' runAsNonRoot checks it)",
      "the final stage has no HEALTHCHECK",
    ]);
  });
});
