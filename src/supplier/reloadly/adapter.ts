// Reloadly as a pipeline adapter: gift cards (POST /orders, codes from /orders/transactions/{id}/cards) and
// airtime (POST /topups), each answered in the shop's order shape. `customIdentifier` is the attempt's
// reference and Reloadly's only idempotency handle: after an ambiguous failure the order is looked up by it
// (never re-POSTed blindly), CUSTOM_IDENTIFIER_ALREADY_USED means "it exists: find it", and no two requests
// with one identifier are ever in flight from this process.
import { minorDigits, type Money } from "../../lib/money.js";
import { isReloadlyTopup, type ReloadlyGiftCardSource, type ReloadlyTopupSource } from "../sources.js";
import { SupplierError, type AttemptLookup, type AttemptRequest, type SupplierAdapter, type SupplierBalance, type SupplierOrder } from "../types.js";
import type { ReloadlyApi, ReloadlyClient } from "./client.js";
import {
  balanceSchema,
  giftCardTransactionByIdSchema,
  giftCardTransactionSchema,
  operatorSchema,
  pageSchema,
  productSchema,
  redeemCodesSchema,
  topupStatusSchema,
  topupTransactionSchema,
  type GiftCardTransaction,
  type RedeemCode,
  type ReloadlyProduct,
  type ReloadlyStatus,
  type TopupTransaction,
} from "./schemas.js";

/** Reloadly's `customIdentifier` holds at most 150 characters. */
export const MAX_CUSTOM_IDENTIFIER = 150;

export interface ReloadlyAdapterOptions {
  /** The name on the gift card receipt (Reloadly's senderName). */
  senderName: string;
  /** Which product's GET /accounts/balance to read (one account wallet serves both). */
  balanceFrom: ReloadlyApi;
}

export interface ReloadlyAdapter extends SupplierAdapter {
  /** Every gift card product (GET /products, all pages), for the catalog sync. */
  listGiftCardProducts(pageSize?: number): Promise<ReloadlyProduct[]>;
}

/** A decimal amount from Reloadly (17.52) in integer minor units of its currency (1752). */
export function toMinor(value: number, currency: string): number {
  return Math.round(value * 10 ** minorDigits(currency));
}

function money(value: number, currency: string): Money {
  return { amount: toMinor(value, currency), currency: currency.toUpperCase() };
}

const failedStatuses: ReadonlySet<ReloadlyStatus> = new Set(["FAILED", "REFUNDED"]);
const PAGE_SIZE = 200;

export function createReloadlyAdapter(client: ReloadlyClient, options: ReloadlyAdapterOptions): ReloadlyAdapter {
  const inFlight = new Set<string>();
  const operatorCountries = new Map<number, string>();

  function sourceOf(request: AttemptRequest): ReloadlyGiftCardSource | ReloadlyTopupSource {
    if (request.source.supplier !== "reloadly") throw new SupplierError("fatal", "wrong_source", `a ${request.source.supplier} source was sent to Reloadly`);
    if (request.reference.length > MAX_CUSTOM_IDENTIFIER) throw new SupplierError("fatal", "reference_too_long", "the reference is longer than Reloadly's 150 characters");
    return request.source;
  }

  /** One request per identifier at a time: a second one would race the first on Reloadly's side. */
  async function exclusive<T>(reference: string, work: () => Promise<T>): Promise<T> {
    if (inFlight.has(reference)) throw new SupplierError("retryable", "in_flight", "a request with this reference is already in flight");
    inFlight.add(reference);
    try {
      return await work();
    } finally {
      inFlight.delete(reference);
    }
  }

  // --- gift cards -------------------------------------------------------------------------------------

  async function cardsOf(transactionId: number): Promise<RedeemCode[]> {
    // While PROCESSING, or for a moment after, the list may be empty (or 404): the order stays pending.
    const cards = await client.request("giftcards", { method: "GET", path: `/orders/transactions/${transactionId}/cards`, endpoint: "cards", notFoundIsNull: true }, redeemCodesSchema);
    return cards ?? [];
  }

  async function giftCardOrder(transaction: GiftCardTransaction, request: AttemptRequest): Promise<SupplierOrder> {
    const base = {
      order_id: String(transaction.transactionId),
      reference: transaction.customIdentifier ?? request.reference,
      sku: `reloadly-product-${transaction.product.productId}`,
      quantity: transaction.product.quantity,
      items: [] as SupplierOrder["items"],
      confirmation: null,
      error: null,
      cost: money(transaction.amount, transaction.currencyCode),
      ...(transaction.transactionCreatedTime ? { created_at: transaction.transactionCreatedTime } : {}),
    };
    if (failedStatuses.has(transaction.status)) {
      return { ...base, status: "failed", error: { code: transaction.status, message: `Reloadly reports the order ${transaction.status.toLowerCase()}` } };
    }
    if (transaction.status !== "SUCCESSFUL") return { ...base, status: "pending" };
    const cards = await cardsOf(transaction.transactionId);
    // Successful but its cards not there yet: still pending (a poll fetches them).
    if (cards.length < transaction.product.quantity) return { ...base, status: "pending" };
    return {
      ...base,
      status: "completed",
      items: cards.map((card) => ({ code: card.cardNumber ?? null, pin: card.pinCode ?? null, serial: null, instructions: null, expires_at: null })),
    };
  }

  async function placeGiftCard(request: AttemptRequest, source: ReloadlyGiftCardSource): Promise<SupplierOrder> {
    const transaction = await client.request(
      "giftcards",
      {
        method: "POST",
        path: "/orders",
        endpoint: "place_order",
        creates: true,
        json: {
          productId: source.product_id,
          quantity: request.quantity,
          unitPrice: source.unit_price,
          customIdentifier: request.reference,
          senderName: options.senderName,
          ...(source.country_code ? { countryCode: source.country_code } : {}),
        },
      },
      giftCardTransactionSchema,
    );
    return giftCardOrder(transaction, request);
  }

  async function findGiftCard(lookup: AttemptLookup): Promise<SupplierOrder | null> {
    let transaction: GiftCardTransaction | null;
    if (lookup.supplierOrderId) {
      transaction = await client.request("giftcards", { method: "GET", path: `/reports/transactions/${encodeURIComponent(lookup.supplierOrderId)}`, endpoint: "get_order" }, giftCardTransactionByIdSchema);
    } else {
      const page = await client.request(
        "giftcards",
        { method: "GET", path: "/reports/transactions", endpoint: "find_order", searchParams: { customIdentifier: lookup.reference, page: 1, size: 10 } },
        pageSchema(giftCardTransactionSchema),
      );
      // Filtered by Reloadly; checked again here so that a looser filter can never hand us another order.
      transaction = page.content.find((item) => item.customIdentifier === lookup.reference) ?? null;
    }
    return transaction ? giftCardOrder(transaction, lookup) : null;
  }

  // --- airtime ----------------------------------------------------------------------------------------

  function topupOrder(transaction: TopupTransaction, status: ReloadlyStatus, request: AttemptRequest): SupplierOrder {
    const base = {
      order_id: String(transaction.transactionId),
      reference: transaction.customIdentifier ?? request.reference,
      sku: `reloadly-operator-${transaction.operatorId}`,
      quantity: 1,
      items: [],
      confirmation: null,
      error: null,
      // What the account paid: the requested amount less the discount, both in the account's currency.
      cost: money(
        transaction.requestedAmount - (transaction.discountCurrencyCode === transaction.requestedAmountCurrencyCode ? (transaction.discount ?? 0) : 0),
        transaction.requestedAmountCurrencyCode,
      ),
      ...(transaction.transactionDate ? { created_at: transaction.transactionDate } : {}),
    };
    if (failedStatuses.has(status)) return { ...base, status: "failed", error: { code: status, message: `Reloadly reports the top-up ${status.toLowerCase()}` } };
    if (status !== "SUCCESSFUL") return { ...base, status: "pending" };
    const delivered =
      transaction.deliveredAmount !== null && transaction.deliveredAmount !== undefined && transaction.deliveredAmountCurrencyCode
        ? money(transaction.deliveredAmount, transaction.deliveredAmountCurrencyCode)
        : null;
    return {
      ...base,
      status: "completed",
      confirmation: {
        operator_transaction_id: transaction.operatorTransactionId || `RELOADLY-${transaction.transactionId}`,
        delivered,
        recipient: request.recipient,
        operator: transaction.operatorName ?? null,
      },
    };
  }

  async function countryOf(source: ReloadlyTopupSource): Promise<string> {
    if (source.country_code) return source.country_code;
    const known = operatorCountries.get(source.operator_id);
    if (known) return known;
    const operator = await client.request("topups", { method: "GET", path: `/operators/${source.operator_id}`, endpoint: "operator" }, operatorSchema);
    operatorCountries.set(source.operator_id, operator.country.isoName);
    return operator.country.isoName;
  }

  async function placeTopup(request: AttemptRequest, source: ReloadlyTopupSource): Promise<SupplierOrder> {
    if (!request.recipient) throw new SupplierError("rejected", "invalid_recipient", "a top-up needs the recipient's phone number");
    const countryCode = await countryOf(source);
    const transaction = await client.request(
      "topups",
      {
        method: "POST",
        path: "/topups",
        endpoint: "place_order",
        creates: true,
        json: {
          operatorId: source.operator_id,
          amount: source.amount,
          useLocalAmount: source.use_local_amount,
          customIdentifier: request.reference,
          recipientPhone: { countryCode, number: request.recipient.replace(/\D/g, "") },
        },
      },
      topupTransactionSchema,
    );
    return topupOrder(transaction, transaction.status ?? "PROCESSING", request);
  }

  async function topupStatus(transactionId: string, lookup: AttemptLookup): Promise<SupplierOrder | null> {
    const status = await client.request("topups", { method: "GET", path: `/topups/${encodeURIComponent(transactionId)}/status`, endpoint: "get_order", notFoundIsNull: true }, topupStatusSchema);
    if (!status?.transaction) return null;
    return topupOrder(status.transaction, status.status, lookup);
  }

  async function findTopup(lookup: AttemptLookup): Promise<SupplierOrder | null> {
    if (lookup.supplierOrderId) {
      const found = await topupStatus(lookup.supplierOrderId, lookup);
      if (!found) throw new SupplierError("retryable", "status_unavailable", `Reloadly has no status for top-up ${lookup.supplierOrderId} yet`);
      return found;
    }
    const page = await client.request(
      "topups",
      { method: "GET", path: "/topups/reports/transactions", endpoint: "find_order", searchParams: { customIdentifier: lookup.reference, page: 1, size: 10 } },
      pageSchema(topupTransactionSchema),
    );
    const transaction = page.content.find((item) => item.customIdentifier === lookup.reference);
    if (!transaction) return null;
    // The report may leave the status out: the status endpoint is the authority.
    return (await topupStatus(String(transaction.transactionId), lookup)) ?? topupOrder(transaction, transaction.status ?? "PROCESSING", lookup);
  }

  // --- the adapter ------------------------------------------------------------------------------------

  async function findOrder(lookup: AttemptLookup): Promise<SupplierOrder | null> {
    const source = sourceOf(lookup);
    return isReloadlyTopup(source) ? findTopup(lookup) : findGiftCard(lookup);
  }

  return {
    name: "reloadly",
    // The sku its answers carry (toShopOrder below): the Reloadly product, or the operator of a top-up.
    skuOf: (request) => {
      const source = sourceOf(request);
      return isReloadlyTopup(source) ? `reloadly-operator-${source.operator_id}` : `reloadly-product-${source.product_id}`;
    },
    // async: a refusal before sending (wrong source, reference too long) is a rejected promise like any other.
    async placeOrder(request) {
      const source = sourceOf(request);
      return exclusive(request.reference, async () => {
        try {
          return isReloadlyTopup(source) ? await placeTopup(request, source) : await placeGiftCard(request, source);
        } catch (error) {
          if (!(error instanceof SupplierError) || error.code !== "reference_used") throw error;
          // It exists (an earlier attempt got through): find it rather than order again.
          const existing = await findOrder({ ...request, supplierOrderId: null });
          if (existing) return existing;
          throw new SupplierError("ambiguous", "reference_used", "Reloadly says the reference is used, but no order with it was found yet");
        }
      });
    },
    async findOrder(lookup) {
      sourceOf(lookup);
      return exclusive(lookup.reference, () => findOrder(lookup));
    },
    async getBalances(): Promise<SupplierBalance[]> {
      const balance = await client.request(options.balanceFrom, { method: "GET", path: "/accounts/balance", endpoint: "balance" }, balanceSchema);
      return [{ ...money(balance.balance, balance.currencyCode), account: "reloadly" }];
    },
    async listGiftCardProducts(pageSize = PAGE_SIZE) {
      const products: ReloadlyProduct[] = [];
      // Reloadly's pages start at 1.
      for (let page = 1; ; page++) {
        const answer = await client.request("giftcards", { method: "GET", path: "/products", endpoint: "catalog", searchParams: { page, size: pageSize } }, pageSchema(productSchema));
        products.push(...answer.content);
        const pages = answer.totalPages ?? Math.ceil(answer.totalElements / pageSize);
        if (page >= pages || answer.content.length === 0) return products;
      }
    },
  };
}
