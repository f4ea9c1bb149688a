// ESLint (flat config) for every browser script: the shop's static/js and the Stripe
// emulator's Stripe.js stand-in and hosted pages. `make jslint` runs it.
const js = require("@eslint/js");
const globals = require("globals");

// The size limits the Python code keeps too: functions up to 50 lines, files up to 300.
const readableSize = {
  "max-lines-per-function": ["error", { max: 50, skipBlankLines: true, skipComments: true }],
  "max-lines": ["error", { max: 300, skipBlankLines: true, skipComments: true }],
};

module.exports = [
  { ignores: ["node_modules/", ".venv/", ".venv-samples/", "staticfiles/"] },
  js.configs.recommended,
  { rules: { "no-unused-vars": ["error", { caughtErrorsIgnorePattern: "^_" }] } },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
  {
    // Node scripts (the emulator's schema generator).
    files: ["**/*.mjs"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
  {
    // The shop's page scripts: classic scripts in the modern style (const/let, arrows).
    files: ["static/js/**/*.js"],
    languageOptions: { sourceType: "script", ecmaVersion: 2022, globals: globals.browser },
    rules: { ...readableSize, "no-var": "error", "prefer-const": "error" },
  },
  {
    // The emulator's hosted pages (Checkout, 3-D Secure): classic scripts next to Stripe.js.
    files: ["stripe_emulator/browser/static/*.js"],
    languageOptions: {
      sourceType: "script",
      ecmaVersion: 2022,
      globals: { ...globals.browser, Stripe: "readonly" },
    },
    rules: readableSize,
  },
  {
    // The Stripe.js stand-in: ES modules, joined into one classic script when served.
    files: ["stripe_emulator/browser/static/stripe/**/*.js"],
    languageOptions: { sourceType: "module", ecmaVersion: 2022, globals: globals.browser },
    rules: readableSize,
  },
];
