// drizzle-kit settings: `npm run db:generate` writes SQL migrations to drizzle/ from src/db/schema.ts.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
});
