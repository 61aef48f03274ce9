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
  {
    // One PaymentClient (packages/events/src/rpc-contracts/payment-client.ts): the one place that
    // builds an RpcClient — on paymentRpc — so every call to payment shares its timeout, breaker
    // and bulkhead settings. A context takes a PaymentClient; a second contract gets its own
    // client there (and its file is added to `ignores`). infra/local/boundary-probes.mjs proves
    // both rules fire.
    files: ["packages/*/src/**/*.{ts,tsx,mts,mjs,js}", "apps/**/*.{ts,tsx,mts,mjs,js}"],
    ignores: ["packages/events/src/rpc-contracts/payment-client.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "NewExpression[callee.name='RpcClient'], NewExpression[callee.property.name='RpcClient']",
          message:
            "Only PaymentClient (packages/events/src/rpc-contracts/payment-client.ts) builds an RpcClient: call payment through a PaymentClient.",
        },
      ],
    },
  },
  {
    files: ["packages/api/src/**/*.{ts,tsx,mts,mjs,js}", "apps/**/*.{ts,tsx,mts,mjs,js}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@baedal/events",
              importNames: ["RpcClient"],
              allowTypeImports: true,
              message:
                "A context calls payment through PaymentClient (@baedal/events), never an RpcClient of its own.",
            },
          ],
        },
      ],
    },
  },
);
