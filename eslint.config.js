import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/generated/**",
      "**/.next/**",
      "**/dist/**",
      "**/coverage/**",
      "**/.turbo/**",
      "**/next-env.d.ts",
      ".local/**",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.node },
    },
    rules: {
      // Generic defaults such as `ContextModule<any, any>` are deliberate in the platform code.
      "@typescript-eslint/no-explicit-any": "warn",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // CommonJS configs (.dependency-cruiser.cjs): require() is how they import.
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["apps/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // One typed configuration module per process (README "Environment"): production source reads
    // the environment only there. serve-next.mjs is the apps' plain-JavaScript launcher: it reads
    // its PORT/HOSTNAME and hands Next its standalone settings through process.env.
    files: ["packages/*/src/**/*.{ts,tsx,mts,mjs,js}", "apps/**/*.{ts,tsx,mts,mjs,js}"],
    ignores: [
      "packages/api/src/platform/config.ts",
      "packages/events/src/config.ts",
      "packages/api/src/web/config.ts",
      "packages/api/src/web/serve-next.mjs",
    ],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message:
            "Read the environment through the process's config module: platform/config.ts (API), packages/events/src/config.ts (messaging), web/config.ts (Next apps).",
        },
      ],
    },
  },
);
