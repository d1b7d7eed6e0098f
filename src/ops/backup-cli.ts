// npm run backup [-- <destination>]: a consistent copy of DATABASE_PATH while the shop runs.
import { existsSync } from "node:fs";
import { backupDatabase, defaultBackupPath } from "./backup.js";

if (existsSync(".env")) process.loadEnvFile(".env");
const source = process.env["DATABASE_PATH"] || "./data/shop.sqlite";
const destination = process.argv[2] ?? defaultBackupPath(process.env["BACKUP_DIR"] || "./backups");
backupDatabase(source, destination)
  .then(({ pages, path }) => console.log(`Backed up ${source} (${pages} pages) to ${path}. Restore: stop the shop, copy it to DATABASE_PATH, start.`))
  .catch((error: unknown) => {
    console.error(`Backup failed: ${(error as Error).message}`);
    process.exit(1);
  });
