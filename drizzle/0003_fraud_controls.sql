CREATE TABLE `bans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`reason` text NOT NULL,
	`actor` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bans_kind_value_idx` ON `bans` (`kind`,`value`);--> statement-breakpoint
ALTER TABLE `disputes` ADD `evidence_submitted_at` integer;--> statement-breakpoint
ALTER TABLE `disputes` ADD `due_alerted_at` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `risk_checked_at` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `risk_held_at` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `risk` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `card_fingerprint` text;--> statement-breakpoint
CREATE INDEX `orders_card_idx` ON `orders` (`card_fingerprint`);