CREATE TABLE `broadcasts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_chat_id` integer NOT NULL,
	`source_message_id` integer NOT NULL,
	`language` text,
	`status` text NOT NULL,
	`last_customer_id` integer DEFAULT 0 NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`blocked` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`progress_chat_id` integer,
	`progress_message_id` integer,
	`last_error` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE TABLE `promo_codes` (
	`code` text PRIMARY KEY NOT NULL,
	`percent_off` integer,
	`amount_off` integer,
	`currency` text,
	`max_uses` integer,
	`uses` integer DEFAULT 0 NOT NULL,
	`expires_at` integer,
	`scope` text,
	`active` integer DEFAULT true NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sales_pauses` (
	`scope` text PRIMARY KEY NOT NULL,
	`reason` text,
	`actor` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `orders` ADD `promo_code` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `original_amount` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `admin_price` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `admin_stars_price` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `admin_enabled` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `cost_amount` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `cost_currency` text;