CREATE TABLE `conversation_states` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `customers` (
	`id` integer PRIMARY KEY NOT NULL,
	`chat_id` integer NOT NULL,
	`username` text,
	`first_name` text,
	`telegram_language` text,
	`language` text DEFAULT 'en' NOT NULL,
	`blocked_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `delivered_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` text NOT NULL,
	`position` integer NOT NULL,
	`code_enc` text NOT NULL,
	`pin_enc` text,
	`serial_enc` text,
	`expires_at` text,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `delivered_items_order_position_idx` ON `delivered_items` (`order_id`,`position`);--> statement-breakpoint
CREATE TABLE `order_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` text NOT NULL,
	`at` integer NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`cause` text NOT NULL,
	`actor` text NOT NULL,
	`detail` text,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `order_events_order_idx` ON `order_events` (`order_id`,`id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` integer NOT NULL,
	`chat_id` integer NOT NULL,
	`sku` text NOT NULL,
	`product` text NOT NULL,
	`quantity` integer NOT NULL,
	`recipient` text,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`payment_method` text DEFAULT 'stripe' NOT NULL,
	`telegram_charge_id` text,
	`status` text NOT NULL,
	`next_attempt_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`stripe_session_id` text,
	`stripe_session_url` text,
	`stripe_payment_intent_id` text,
	`supplier_requested_at` integer,
	`supplier_order_id` text,
	`supplier_pending_until` integer,
	`review_alerted_at` integer,
	`paid_notice_at` integer,
	`slow_notice_at` integer,
	`supplier_cost_amount` integer,
	`supplier_cost_currency` text,
	`supplier_confirmation` text,
	`refund_id` text,
	`refunded_amount` integer,
	`disputed_at` integer,
	`telegram_message_id` integer,
	`expires_at` integer NOT NULL,
	`paid_at` integer,
	`fulfilled_at` integer,
	`delivered_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `orders_due_idx` ON `orders` (`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `orders_customer_idx` ON `orders` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_status_idx` ON `orders` (`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_stripe_session_idx` ON `orders` (`stripe_session_id`);--> statement-breakpoint
CREATE INDEX `orders_payment_intent_idx` ON `orders` (`stripe_payment_intent_id`);--> statement-breakpoint
CREATE TABLE `products` (
	`sku` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`category` text NOT NULL,
	`brand` text NOT NULL,
	`kind` text NOT NULL,
	`face_value_amount` integer NOT NULL,
	`face_value_currency` text NOT NULL,
	`price_amount` integer NOT NULL,
	`price_currency` text NOT NULL,
	`stars_price` integer,
	`in_stock` integer DEFAULT true NOT NULL,
	`price_source` text DEFAULT 'file' NOT NULL,
	`requires_pin` integer NOT NULL,
	`recipient_rule` text,
	`instructions` text NOT NULL,
	`max_quantity` integer DEFAULT 1 NOT NULL,
	`enabled` integer NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `products_category_idx` ON `products` (`category`,`sort_order`);--> statement-breakpoint
CREATE TABLE `stripe_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`order_id` text,
	`payload` text NOT NULL,
	`received_at` integer NOT NULL,
	`processed_at` integer,
	`outcome` text
);
--> statement-breakpoint
CREATE INDEX `stripe_events_unprocessed_idx` ON `stripe_events` (`processed_at`);--> statement-breakpoint
CREATE TABLE `supplier_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`supplier_order_id` text,
	`supplier_pending_until` integer,
	`review_alerted_at` integer,
	`paid_notice_at` integer,
	`slow_notice_at` integer,
	`reference` text,
	`payload` text NOT NULL,
	`received_at` integer NOT NULL,
	`processed_at` integer,
	`outcome` text
);
--> statement-breakpoint
CREATE INDEX `supplier_events_unprocessed_idx` ON `supplier_events` (`processed_at`);