/** `tsx src/platform/migrate-cli.ts`: applies every context's pending migrations to DATABASE_URL. */
import { loadBaseConfig } from "./config.js";
import { migrate } from "./migrate.js";

const config = loadBaseConfig();
await migrate(config.DATABASE_URL, (m) => console.log(m));
console.log("migrations up to date");
