// Reloadly's answers as zod schemas, from its published OpenAPI files (Reloadly/reloadly-api-documentation,
// openapi/) and the recorded responses in the Java SDK's test resources (Reloadly/reloadly-sdk-java). Loose
// objects: Reloadly adds fields, and only the ones the shop reads are checked.
import { z } from "zod";

/** Media types Reloadly serves per product (its answers come back with them, not application/json). */
export const GIFTCARDS_MEDIA_TYPE = "application/com.reloadly.giftcards-v1+json";
export const TOPUPS_MEDIA_TYPE = "application/com.reloadly.topups-v1+json";

export const RELOADLY_STATUSES = ["SUCCESSFUL", "PROCESSING", "PENDING", "FAILED", "REFUNDED"] as const;
export type ReloadlyStatus = (typeof RELOADLY_STATUSES)[number];

/** Ids and phone numbers come as numbers in some answers and strings in others. */
const idString = z.union([z.string(), z.number()]).transform(String);

export const tokenSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
});

/** Every error: `{ timeStamp, message, path, errorCode, infoLink, details }`; errorCode is often null. */
export const errorSchema = z.looseObject({
  message: z.string().nullish(),
  path: z.string().nullish(),
  errorCode: z.string().nullish(),
  status: z.number().nullish(),
  error: z.string().nullish(),
});
export type ReloadlyErrorBody = z.infer<typeof errorSchema>;

export const giftCardTransactionSchema = z.looseObject({
  transactionId: z.number().int(),
  /** What the account paid, fee included, in the account's currency. */
  amount: z.number(),
  discount: z.number().nullish(),
  currencyCode: z.string(),
  fee: z.number().nullish(),
  customIdentifier: z.string().nullish(),
  status: z.enum(RELOADLY_STATUSES),
  product: z.looseObject({
    productId: z.number().int(),
    productName: z.string().nullish(),
    quantity: z.number().int(),
    /** The card's face value, in the card's currency. */
    unitPrice: z.number(),
    totalPrice: z.number().nullish(),
    currencyCode: z.string().nullish(),
  }),
  transactionCreatedTime: z.string().nullish(),
});
export type GiftCardTransaction = z.infer<typeof giftCardTransactionSchema>;

/** GET /reports/transactions/{id}: an object in the SDK's recordings, a one-element list in the OpenAPI example. */
export const giftCardTransactionByIdSchema = z.union([giftCardTransactionSchema, z.array(giftCardTransactionSchema).length(1).transform((list) => list[0]!)]);

export const redeemCodesSchema = z.array(
  z.looseObject({
    cardNumber: idString.nullish(),
    pinCode: idString.nullish(),
  }),
);
export type RedeemCode = z.infer<typeof redeemCodesSchema>[number];

/** Reloadly's pages: `content` plus Spring's paging fields. A request's `page` starts at 1. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    content: z.array(item),
    totalElements: z.number().int().nonnegative(),
    totalPages: z.number().int().nonnegative().optional(),
  });
}

export const balanceSchema = z.looseObject({
  balance: z.number(),
  currencyCode: z.string().min(3),
  currencyName: z.string().nullish(),
  updatedAt: z.string().nullish(),
});

export const topupTransactionSchema = z.looseObject({
  transactionId: z.number().int(),
  /** In POST /topups answers; the reports list may leave it out for settled transactions. */
  status: z.enum(RELOADLY_STATUSES).optional(),
  operatorTransactionId: z.string().nullish(),
  customIdentifier: z.string().nullish(),
  recipientPhone: idString.nullish(),
  countryCode: z.string().nullish(),
  operatorId: z.number().int(),
  operatorName: z.string().nullish(),
  discount: z.number().nullish(),
  discountCurrencyCode: z.string().nullish(),
  /** What the account paid, in the account's currency. */
  requestedAmount: z.number(),
  requestedAmountCurrencyCode: z.string(),
  deliveredAmount: z.number().nullish(),
  deliveredAmountCurrencyCode: z.string().nullish(),
  transactionDate: z.string().nullish(),
});
export type TopupTransaction = z.infer<typeof topupTransactionSchema>;

/** GET /topups/{transactionId}/status. */
export const topupStatusSchema = z.looseObject({
  status: z.enum(RELOADLY_STATUSES),
  code: z.string().nullish(),
  message: z.string().nullish(),
  transaction: topupTransactionSchema.nullish(),
});

export const operatorSchema = z.looseObject({
  operatorId: z.number().int().optional(),
  id: z.number().int().optional(),
  name: z.string(),
  country: z.looseObject({ isoName: z.string().length(2), name: z.string().nullish() }),
});

export const productSchema = z.looseObject({
  productId: z.number().int(),
  productName: z.string(),
  denominationType: z.enum(["FIXED", "RANGE"]),
  recipientCurrencyCode: z.string(),
  senderCurrencyCode: z.string(),
  senderFee: z.number().nullish(),
  discountPercentage: z.number().nullish(),
  minRecipientDenomination: z.number().nullish(),
  maxRecipientDenomination: z.number().nullish(),
  fixedRecipientDenominations: z.array(z.number()).nullish(),
  fixedSenderDenominations: z.array(z.number()).nullish(),
  /** Face value ("25.0") → what the account pays for it, in the sender's currency. */
  fixedRecipientToSenderDenominationsMap: z.record(z.string(), z.number()).nullish(),
  brand: z.looseObject({ brandId: z.number().int(), brandName: z.string() }).nullish(),
  country: z.looseObject({ isoName: z.string(), name: z.string().nullish() }).nullish(),
  redeemInstruction: z.looseObject({ concise: z.string().nullish(), verbose: z.string().nullish() }).nullish(),
});
export type ReloadlyProduct = z.infer<typeof productSchema>;
