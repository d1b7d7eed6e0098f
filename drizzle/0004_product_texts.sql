ALTER TABLE `products` ADD `labels` text;--> statement-breakpoint
ALTER TABLE `products` ADD `details` text;