// What the Reloadly simulator sells: a few gift card products (FIXED and RANGE denominations, cards with and
// without PINs, a card in another currency than the account's) and airtime operators, in Reloadly's shapes.

export interface SimGiftCardProduct {
  productId: number;
  productName: string;
  brandName: string;
  countryCode: string;
  denominationType: "FIXED" | "RANGE";
  recipientCurrencyCode: string;
  fixedRecipientDenominations: number[];
  minRecipientDenomination: number | null;
  maxRecipientDenomination: number | null;
  /** Units of the account's currency per unit of the card's. */
  fx: number;
  discountPercentage: number;
  senderFee: number;
  /** Cards of this product come with a PIN. */
  withPin: boolean;
  redeemInstruction: string;
}

export interface SimOperator {
  operatorId: number;
  name: string;
  countryCode: string;
  countryName: string;
  destinationCurrencyCode: string;
  /** Units of the operator's currency per unit of the account's. */
  fx: number;
  commission: number;
  minAmount: number;
  maxAmount: number;
  supportsLocalAmounts: boolean;
}

export const RELOADLY_SIM_PRODUCTS: SimGiftCardProduct[] = [
  {
    productId: 5, productName: "Amazon US", brandName: "Amazon", countryCode: "US", denominationType: "FIXED", recipientCurrencyCode: "USD",
    fixedRecipientDenominations: [10, 25, 50, 100], minRecipientDenomination: null, maxRecipientDenomination: null,
    fx: 1, discountPercentage: 3.5, senderFee: 0.5, withPin: false, redeemInstruction: "Go to amazon.com/redeem and enter the claim code.",
  },
  {
    productId: 13, productName: "PlayStation Store US", brandName: "PlayStation", countryCode: "US", denominationType: "FIXED", recipientCurrencyCode: "USD",
    fixedRecipientDenominations: [10, 25, 50], minRecipientDenomination: null, maxRecipientDenomination: null,
    fx: 1, discountPercentage: 6, senderFee: 0.5, withPin: false, redeemInstruction: "PlayStation Store → Redeem codes.",
  },
  {
    productId: 14, productName: "App Store & iTunes DE", brandName: "App Store & iTunes", countryCode: "DE", denominationType: "FIXED", recipientCurrencyCode: "EUR",
    fixedRecipientDenominations: [15, 25, 50], minRecipientDenomination: null, maxRecipientDenomination: null,
    fx: 1.08, discountPercentage: 2.9, senderFee: 0.5, withPin: false, redeemInstruction: "App Store → your account → Redeem Gift Card or Code.",
  },
  {
    productId: 120, productName: "Netflix US", brandName: "Netflix", countryCode: "US", denominationType: "RANGE", recipientCurrencyCode: "USD",
    fixedRecipientDenominations: [], minRecipientDenomination: 15, maxRecipientDenomination: 200,
    fx: 1, discountPercentage: 2, senderFee: 0.5, withPin: false, redeemInstruction: "Go to netflix.com/redeem.",
  },
  {
    productId: 200, productName: "Razer Gold Global", brandName: "Razer Gold", countryCode: "US", denominationType: "FIXED", recipientCurrencyCode: "USD",
    fixedRecipientDenominations: [10, 20, 50], minRecipientDenomination: null, maxRecipientDenomination: null,
    fx: 1, discountPercentage: 4, senderFee: 0.5, withPin: true, redeemInstruction: "gold.razer.com → Reload → Razer Gold PIN.",
  },
];

export const RELOADLY_SIM_OPERATORS: SimOperator[] = [
  { operatorId: 173, name: "Digicel Haiti", countryCode: "HT", countryName: "Haiti", destinationCurrencyCode: "HTG", fx: 132.5, commission: 12, minAmount: 0.5, maxAmount: 100, supportsLocalAmounts: true },
  { operatorId: 140, name: "Telcel Mexico", countryCode: "MX", countryName: "Mexico", destinationCurrencyCode: "MXN", fx: 17.2, commission: 6, minAmount: 1, maxAmount: 60, supportsLocalAmounts: true },
  { operatorId: 341, name: "MTN Nigeria", countryCode: "NG", countryName: "Nigeria", destinationCurrencyCode: "NGN", fx: 1550, commission: 3, minAmount: 0.1, maxAmount: 50, supportsLocalAmounts: true },
];
