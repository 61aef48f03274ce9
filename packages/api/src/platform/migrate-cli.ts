/** `tsx src/platform/migrate-cli.ts`: applies every context's pending migrations to DATABASE_URL. */
import { loadConfig } from "./config.js";
import { migrate } from "./migrate.js";

const config = loadConfig();
await migrate(config.DATABASE_URL, (m) => console.log(m));
console.log("migrations up to date");
