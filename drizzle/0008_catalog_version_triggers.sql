-- The catalog's version: every write to products, by any code path or by hand, bumps it, so the bot's
-- cached screens (src/bot/screen-cache.ts) never outlive the catalog they were rendered from.
INSERT INTO `catalog_version` (`id`, `version`) VALUES (1, 0) ON CONFLICT (`id`) DO NOTHING;
--> statement-breakpoint
CREATE TRIGGER `products_insert_bumps_catalog_version` AFTER INSERT ON `products`
BEGIN
  UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `products_update_bumps_catalog_version` AFTER UPDATE ON `products`
BEGIN
  UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `products_delete_bumps_catalog_version` AFTER DELETE ON `products`
BEGIN
  UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
