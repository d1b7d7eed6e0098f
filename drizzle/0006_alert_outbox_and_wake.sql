CREATE TABLE `alert_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`order_id` text,
	`text` text NOT NULL,
	`raised_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`not_before` integer,
	`last_error` text,
	`sent_at` integer,
	`given_up_at` integer
);
--> statement-breakpoint
CREATE INDEX `alert_outbox_pending_idx` ON `alert_outbox` (`sent_at`,`given_up_at`);--> statement-breakpoint
ALTER TABLE `orders` ADD `woken_at` integer;--> statement-breakpoint
-- Orders in review whose alert never left before this version (it re-raised them from orders.review_alerted_at):
-- the outbox takes them over.
INSERT INTO `alert_outbox` (`kind`, `order_id`, `text`, `raised_at`) SELECT 'needs_review', `id`, `id` || ': ' || coalesce(`last_error`, 'needs a person'), `updated_at` FROM `orders` WHERE `status` = 'needs_review' AND `review_alerted_at` IS NULL;
