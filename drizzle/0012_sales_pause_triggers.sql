-- A pause of sales (sales_pauses) changes what customers see on the catalog's screens: every write bumps the
-- catalog's version, as a write to products does (0008), so cached screens are rendered again.
CREATE TRIGGER `sales_pauses_insert_bumps_catalog_version` AFTER INSERT ON `sales_pauses`
BEGIN
  UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `sales_pauses_update_bumps_catalog_version` AFTER UPDATE ON `sales_pauses`
BEGIN
  UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `sales_pauses_delete_bumps_catalog_version` AFTER DELETE ON `sales_pauses`
BEGIN
  UPDATE `catalog_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
