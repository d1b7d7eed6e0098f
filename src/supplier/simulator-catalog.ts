// The products the supplier simulator sells: the same SKUs as catalog.example.json, at wholesale cost.
import type { SupplierCatalogProduct } from "./types.js";

const PHONE = { type: "phone" as const, pattern: "^\\+[1-9][0-9]{7,14}$" };

const STEAM = "Redeem at store.steampowered.com/account/redeemwalletcode";
const MLBB = { type: "player_id" as const, pattern: "^[0-9]{6,12}(\\([0-9]{4,5}\\))?$" };

export const SIMULATOR_CATALOG: SupplierCatalogProduct[] = [
  ...[5, 10, 100].map((usd) => ({
    sku: `steam-${usd}-usd`, name: `Steam Wallet ${usd} USD`, kind: "code" as const,
    face_value: { amount: usd * 100, currency: "USD" }, cost: { amount: Math.round(usd * 92.5), currency: "USD" },
    requires_pin: false, in_stock: true, instructions: STEAM,
  })),
  ...[172, 257, 344, 429, 514, 706, 878].map((diamonds) => ({
    sku: `mlbb-${diamonds}-diamonds`, name: `Mobile Legends ${diamonds} Diamonds`, kind: "topup" as const,
    face_value: { amount: diamonds, currency: "XDI" }, cost: { amount: Math.round(diamonds * 1.63), currency: "USD" },
    requires_pin: false, in_stock: true, recipient: MLBB,
  })),
  {
    sku: "steam-20-usd", name: "Steam Wallet 20 USD", kind: "code",
    face_value: { amount: 2000, currency: "USD" }, cost: { amount: 1850, currency: "USD" },
    requires_pin: false, in_stock: true, instructions: "Redeem at store.steampowered.com/account/redeemwalletcode",
  },
  {
    sku: "steam-50-usd", name: "Steam Wallet 50 USD", kind: "code",
    face_value: { amount: 5000, currency: "USD" }, cost: { amount: 4620, currency: "USD" },
    requires_pin: false, in_stock: true, instructions: "Redeem at store.steampowered.com/account/redeemwalletcode",
  },
  {
    sku: "psn-25-usd", name: "PlayStation Store 25 USD", kind: "code",
    face_value: { amount: 2500, currency: "USD" }, cost: { amount: 2310, currency: "USD" },
    requires_pin: false, in_stock: true, instructions: "PlayStation Store → Redeem codes",
  },
  {
    sku: "google-play-10-eur", name: "Google Play 10 EUR", kind: "code",
    face_value: { amount: 1000, currency: "EUR" }, cost: { amount: 930, currency: "EUR" },
    requires_pin: false, in_stock: true, instructions: "Play Store → Profile → Payments & subscriptions → Redeem code",
  },
  {
    sku: "amazon-us-25", name: "Amazon.com 25 USD", kind: "code",
    face_value: { amount: 2500, currency: "USD" }, cost: { amount: 2380, currency: "USD" },
    requires_pin: false, in_stock: true, instructions: "amazon.com/redeem",
  },
  {
    sku: "razer-gold-10-usd", name: "Razer Gold 10 USD", kind: "code",
    face_value: { amount: 1000, currency: "USD" }, cost: { amount: 940, currency: "USD" },
    requires_pin: true, in_stock: true, instructions: "gold.razer.com → Reload → Razer Gold PIN",
  },
  {
    sku: "xbox-15-usd", name: "Xbox Gift Card 15 USD", kind: "code",
    face_value: { amount: 1500, currency: "USD" }, cost: { amount: 1390, currency: "USD" },
    requires_pin: false, in_stock: true, instructions: "redeem.microsoft.com",
  },
  {
    sku: "mlbb-86-diamonds", name: "Mobile Legends 86 Diamonds", kind: "topup",
    face_value: { amount: 86, currency: "XDI" }, cost: { amount: 140, currency: "USD" },
    requires_pin: false, in_stock: true,
    recipient: { type: "player_id", pattern: "^[0-9]{6,12}(\\([0-9]{4,5}\\))?$" },
  },
  {
    sku: "pubg-660-uc", name: "PUBG Mobile 660 UC", kind: "topup",
    face_value: { amount: 660, currency: "XUC" }, cost: { amount: 880, currency: "USD" },
    requires_pin: false, in_stock: true, recipient: { type: "player_id", pattern: "^[0-9]{8,12}$" },
  },
  {
    sku: "airtime-mx-100-mxn", name: "Telcel Mexico 100 MXN", kind: "topup",
    face_value: { amount: 10000, currency: "MXN" }, cost: { amount: 500, currency: "USD" },
    requires_pin: false, in_stock: true, recipient: PHONE,
  },
  {
    sku: "airtime-ng-1000-ngn", name: "MTN Nigeria 1000 NGN", kind: "topup",
    face_value: { amount: 100000, currency: "NGN" }, cost: { amount: 120, currency: "USD" },
    requires_pin: false, in_stock: true, recipient: PHONE,
  },
];
