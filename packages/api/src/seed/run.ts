import { loadBaseConfig } from "../platform/config.js";
import { DEMO_PASSWORD, demoAccounts, seedDemo } from "./demo-data.js";

// Seeds the demo data (migrations must already be applied). Safe to run any number of times.
const config = loadBaseConfig();
const result = await seedDemo(config.DATABASE_URL, config.BAEDAL_NS);
console.log(
  `seed: ${result.users} users, ${result.shops} shops, ${result.items} menu items, ${result.reviewCases} review cases inserted`,
);
console.log(`demo accounts (password "${DEMO_PASSWORD}"):`);
for (const a of demoAccounts) console.log(`  ${a.role.padEnd(10)} ${a.email.padEnd(22)} ${a.name}`);
