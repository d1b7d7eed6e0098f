CREATE TABLE `disputes` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text,
	`charge_id` text,
	`payment_intent_id` text,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`evidence_due_by` integer,
	`before_delivery` integer DEFAULT false NOT NULL,
	`funds_withdrawn_at` integer,
	`funds_reinstated_at` integer,
	`closed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `disputes_order_idx` ON `disputes` (`order_id`);--> statement-breakpoint
CREATE INDEX `disputes_status_idx` ON `disputes` (`status`);--> statement-breakpoint
CREATE TABLE `shop_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stars_payments` (
	`charge_id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`user_id` integer NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`source` text NOT NULL,
	`received_at` integer NOT NULL,
	`processed_at` integer,
	`outcome` text,
	`refund_due_at` integer,
	`refund_attempts` integer DEFAULT 0 NOT NULL,
	`refunded_at` integer,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `stars_payments_unprocessed_idx` ON `stars_payments` (`processed_at`);--> statement-breakpoint
CREATE INDEX `stars_payments_refund_due_idx` ON `stars_payments` (`refund_due_at`);--> statement-breakpoint
ALTER TABLE `orders` ADD `stripe_charge_id` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `hold_reason` text;--> statement-breakpoint
CREATE INDEX `orders_charge_idx` ON `orders` (`stripe_charge_id`);--> statement-breakpoint
ALTER TABLE `stripe_events` ADD `payment_intent_id` text;--> statement-breakpoint
CREATE INDEX `stripe_events_payment_intent_idx` ON `stripe_events` (`payment_intent_id`);--> statement-breakpoint
ALTER TABLE `supplier_events` ADD `status` text;--> statement-breakpoint
ALTER TABLE `supplier_events` DROP COLUMN `supplier_pending_until`;--> statement-breakpoint
ALTER TABLE `supplier_events` DROP COLUMN `review_alerted_at`;--> statement-breakpoint
ALTER TABLE `supplier_events` DROP COLUMN `paid_notice_at`;--> statement-breakpoint
ALTER TABLE `supplier_events` DROP COLUMN `slow_notice_at`;--> statement-breakpoint
-- Supplier webhook bodies carried codes and PINs in plaintext: overwrite them before the column goes (the
-- connection runs with secure_delete, so the old bytes are zeroed, not left in free pages).
UPDATE `supplier_events` SET `payload` = '';--> statement-breakpoint
ALTER TABLE `supplier_events` DROP COLUMN `payload`;