// Every admin command with its usage and one line on what it does: the one list /help is built from (a test checks
// that every command an admin feature registers is here, so a command cannot be added without its help line).

export interface AdminCommandHelp {
  command: string;
  /** What follows the command ("<sku> price <amount>"); variants on their own entry. */
  usage: string;
  does: string;
}

export const ADMIN_HELP: readonly { section: string; commands: readonly AdminCommandHelp[] }[] = [
  {
    section: "Orders",
    commands: [
      { command: "order", usage: "<id>", does: "an order's status, payment, fraud check and timeline" },
      { command: "pending", usage: "", does: "paid orders not delivered yet" },
      { command: "review", usage: "", does: "the review queue, paged, with Retry / Refund / Code / Release buttons" },
      { command: "retry", usage: "<id> | all", does: "retry one order in review, or every one a retry may fix (asks first)" },
      { command: "refund", usage: "<id> [manual [note]]", does: "refund an order (asks first); manual closes one refunded by hand" },
      { command: "code", usage: "<id> <code> [pin]", does: "enter a code by hand for an order in review (checked, asks first)" },
      { command: "resend", usage: "<id> [email]", does: "send an order's codes again, in Telegram or (with email, asks first) by email; not when its money went back" },
      { command: "export", usage: "[from] [to]", does: "orders as a CSV file, days as YYYY-MM-DD (UTC); never a code" },
      { command: "stats", usage: "", does: "paid orders, revenue, failure rate, payment → delivery time" },
    ],
  },
  {
    section: "Sales and catalog",
    commands: [
      { command: "pause", usage: "[sku] [reason]", does: "pause sales of the whole shop (or one product): customers see \"back soon\"" },
      { command: "resume", usage: "[sku]", does: "sell again (the whole shop, or one product)" },
      { command: "products", usage: "[filter | on | off | out]", does: "products with price, cost, margin, stock, on/off (paged)" },
      { command: "product", usage: "<sku> [on | off | price <amount> | stars <n>]", does: "a product's card; change it (a price asks first)" },
      { command: "promo", usage: "add <CODE> <10% | 5.00 [USD]> [max uses] [YYYY-MM-DD] [sku | category] · list · off <CODE>", does: "promo codes" },
      { command: "sync", usage: "", does: "sync the catalog from the supplier now" },
      { command: "stock", usage: "", does: "the shop's own codes by pool (import: a file with the caption /stock add <sku>)" },
      { command: "balance", usage: "", does: "the supplier accounts' balances" },
    ],
  },
  {
    section: "Customers",
    commands: [
      { command: "broadcast", usage: "[language]", does: "reply with it to a message: preview, confirm, then sent to every customer not blocked" },
      { command: "release", usage: "<id>", does: "release an order the fraud rules held (asks first)" },
      { command: "ban", usage: "<telegram id> | card <fingerprint> [reason]", does: "refuse a customer or a card (asks first)" },
      { command: "unban", usage: "<telegram id> | card <fingerprint>", does: "lift a ban" },
      { command: "bans", usage: "", does: "who is banned" },
      { command: "disputes", usage: "", does: "open disputes, evidence due soonest first" },
    ],
  },
  {
    section: "This list",
    commands: [{ command: "help", usage: "", does: "the admin commands (customers get the shop's own /help)" }],
  },
];

/** Every admin command's name. */
export const ADMIN_HELP_COMMANDS: readonly string[] = ADMIN_HELP.flatMap((section) => section.commands.map((entry) => entry.command));
