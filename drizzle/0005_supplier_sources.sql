CREATE TABLE `stock_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pool` text NOT NULL,
	`code_enc` text NOT NULL,
	`pin_enc` text,
	`expires_on` text,
	`fingerprint` text NOT NULL,
	`reserved_for` text,
	`order_id` text,
	`reserved_at` integer,
	`imported_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stock_codes_fingerprint_idx` ON `stock_codes` (`fingerprint`);--> statement-breakpoint
CREATE INDEX `stock_codes_pool_idx` ON `stock_codes` (`pool`,`reserved_for`);--> statement-breakpoint
CREATE INDEX `stock_codes_reserved_idx` ON `stock_codes` (`reserved_for`);--> statement-breakpoint
ALTER TABLE `orders` ADD `source_index` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `supplier_name` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `supplier_reference` text;--> statement-breakpoint
ALTER TABLE `products` ADD `sources` text;