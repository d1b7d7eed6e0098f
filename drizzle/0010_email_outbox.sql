CREATE TABLE `customer_emails` (
	`customer_id` integer PRIMARY KEY NOT NULL,
	`address_enc` text,
	`confirmed_at` integer,
	`pending_enc` text,
	`code_enc` text,
	`code_sent_at` integer,
	`code_attempts` integer DEFAULT 0 NOT NULL,
	`awaiting` text,
	`awaiting_since` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `email_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` text,
	`customer_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`to_enc` text NOT NULL,
	`body_enc` text,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`claimed_at` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`given_up_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_outbox_order_purpose_idx` ON `email_outbox` (`order_id`,`purpose`);--> statement-breakpoint
CREATE INDEX `email_outbox_due_idx` ON `email_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `email_outbox_customer_idx` ON `email_outbox` (`customer_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `orders` ADD `email_enc` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `delivery_channel` text;