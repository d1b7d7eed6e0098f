# Customer texts, English. Variables are escaped for Telegram HTML before they get here.

welcome =
    👋 Welcome to <b>{ $shop }</b>!
    Gift cards, game top-ups and mobile airtime, delivered in this chat seconds after you pay.
    Pick a category:
catalog-title = 🛍 Pick a category:
category-title = <b>{ $category }</b>: pick a product
catalog-empty = The shop has nothing for sale right now. Please come back later.
button-back = ⬅️ Back
button-next = Next ➡️
button-prev = ⬅️ Prev
button-catalog = 🛍 Catalog
button-buy = 🛒 Buy for { $price }
button-pay = 💳 Pay { $price }
button-cancel-order = ✖️ Cancel order
button-my-orders = 📦 My orders

product-card =
    <b>{ $name }</b>
    Value: { $face }
    Price: <b>{ $price }</b>
product-topup-note = You will be asked for the { $recipient } to top up.
product-unavailable = This product is not available any more. Here is what the shop has now.
price-changed = The price has changed since this message was sent. Here is the current one.

checkout-ready =
    🧾 <b>Order { $order }</b>
    { $name } × { $quantity }
    Total: <b>{ $total }</b>

    Tap <b>Pay</b> to pay securely with Stripe. The payment link is valid for 30 minutes, until { $until }.
checkout-reused = You already have this order open; here is its payment link again.
checkout-too-many-unpaid = You have { $count ->
        [one] { $count } unpaid order open. Pay or cancel it
       *[other] { $count } unpaid orders open. Pay or cancel one of them
    } (/orders) before starting another.
checkout-rate-limited = You have made many orders in the last hour. Please try again later, or write to { $support }.
checkout-provider-down = Payments are not available right now. Nothing was charged. Please try again in a few minutes.
checkout-not-allowed = Sorry, we cannot take this order. If you think this is a mistake, write to { $support }.
checkout-bad-quantity = That quantity is not available for this product.
checkout-bad-recipient = That { $recipient } does not look right.

order-cancelled = Order { $order } is cancelled. Nothing was charged.
order-cannot-cancel = Order { $order } can't be cancelled any more: { $status }.

paid-received = ✅ Payment received for order { $order }. Getting your code…
paid-topup-received = ✅ Payment received for order { $order }. Sending your top-up…
supplier-slow = ⏳ Payment received. Your order { $order } is on its way: the supplier is taking longer than usual. You will get it here as soon as it is ready.

delivery-code-title =
    🎁 <b>{ $name }</b> ({ $face })
    Order { $order }
delivery-instructions = <b>How to redeem:</b> { $instructions }
delivery-support = Questions? Write to { $support } and quote order { $order }.
delivery-continued = 🎁 Order { $order }, continued:
delivery-document-caption =
    🎁 <b>{ $name }</b> ({ $face }) × { $count }
    Order { $order }

    { $count ->
        [1] Your code and how to redeem it are in this file: they do not fit in one message.
       *[other] Your { $count } codes and how to redeem them are in this file: they do not fit in one message.
    }

    Questions? Write to { $support } and quote order { $order }.
delivery-code-line = Code: <code>{ $code }</code>
delivery-pin-line = PIN: <code>{ $pin }</code>
delivery-serial-line = Serial: <code>{ $serial }</code>
delivery-topup =
    ✅ <b>{ $name }</b> sent to <code>{ $recipient }</code>
    Order { $order }
    Operator reference: <code>{ $reference }</code>

    Questions? Write to { $support } and quote order { $order }.

refunded-customer = ↩️ We could not complete order { $order }, so your payment of { $amount } has been refunded. It reaches your card within 5–10 days. Sorry about that.
review-customer = ⏳ Order { $order } needs a quick check by our team. You don't need to do anything: you will get your code or a refund here.
refunded-customer-stars = ↩️ We could not complete order { $order }, so your { $amount } have been returned to your Telegram Stars balance. Sorry about that.
refunded-before-delivery = ↩️ The payment for order { $order } was refunded, so the order is cancelled and nothing will be delivered. The money reaches your card within 5–10 days.
disputed-before-delivery = ⏸ Order { $order } is on hold: its payment is being disputed with your bank. If that is a mistake, write to our support.
stars-second-charge-refunded = ↩️ Order { $order } was paid twice. The second payment of { $amount } has been returned to your Telegram Stars balance.

status-awaiting_payment = waiting for payment
status-paid = paid, getting your code
status-supplier_pending = paid, on its way from the supplier
status-fulfilled = ready, being sent
status-delivered = delivered
status-delivered-email = delivered by email
status-delivery_failed = ready (could not be sent: open it here)
status-failed = could not be completed, refund on its way
status-refunding = being refunded
status-refunded = refunded
status-needs_review = being checked by our team
status-expired = payment link expired
status-cancelled = cancelled

order-view =
    📦 <b>Order { $order }</b>
    { $name } × { $quantity }: { $total }
    Status: <b>{ $status }</b>
    Created: { $created }
order-not-found = No order { $order } was found for you.
order-codes-separately = 🎁 Your codes do not fit on this screen. Tap the button below and they come to this chat again.
button-send-codes = 🎁 Send my codes again
help =
    This bot sells gift cards and top-ups. Pick a product, pay on Stripe's page and the code arrives here in seconds.

    /start: the catalog
    /orders: your orders and codes
    /support: talk to a person
    /cancel: cancel what you are doing
    /language: change the language
help-email = /email: an email address for your codes, in case Telegram cannot deliver them
support = Need help? Write to { $support }.{ $last }
support-last-order = { " " }Please quote your last order: <code>{ $order }</code>.
unknown-command = I don't know that command. /help lists what I can do.
error-generic = Something went wrong on our side. Nothing was charged twice; please try again.
recipient-phone = phone number
recipient-player_id = player ID
recipient-email = email address
orders-title = 📦 Your orders, newest first:
orders-empty = You have no orders yet. /start opens the catalog.
button-open = Open
cancelled-nothing-pending = Done. /start opens the catalog.
stale-button = This button is out of date. Here is the current view.
button-cancel = ✖️ Cancel
button-confirm = ✅ Confirm
ask-recipient-phone =
    <b>{ $name }</b>
    Send the phone number to top up, in international form with the country code, e.g. <code>+5215512345678</code>.
ask-recipient-player_id =
    <b>{ $name }</b>
    Send the player ID to top up. { $hint }
ask-recipient-email =
    <b>{ $name }</b>
    Send the email address of the account to top up.
bad-recipient-phone = "{ $value }" is not a phone number in international form. Start with + and the country code, e.g. <code>+5215512345678</code>. Try again:
bad-recipient-player_id = "{ $value }" is not a valid player ID for this game. { $hint } Try again:
bad-recipient-email = "{ $value }" is not an email address. Try again:
confirm-topup =
    Please check your order:
    <b>{ $name }</b>
    { $what }: <code>{ $recipient }</code>
    Quantity: 1
    Total: <b>{ $total }</b>
checkout-cancelled = Checkout cancelled. Nothing was charged.
command-start = Catalog
command-orders = My orders and codes
command-help = How it works
command-support = Talk to a person
command-cancel = Cancel what I'm doing
command-language = Change language
brand-title = <b>{ $brand }</b>: pick an amount
from-price = from { $price }
ask-quantity = <b>{ $name }</b>: how many codes? (up to { $max })
language-choose = Choose your language:
language-set = Done: I will speak English with you.
paid-header = ✅ Payment received for order { $order }.
button-pay-stars = ⭐ Pay { $stars ->
        [one] { $stars } Star
       *[other] { $stars } Stars
    }
stars-invoice-description = Order { $order }: { $quantity } × delivered in this chat right after payment.
stars-refused-unknown = This invoice is not one of your orders.
stars-refused-not-payable = This order is already paid or closed.
stars-refused-expired = This order has expired. Please start again from the catalog.
stars-refused-price = The price has changed. Please start again from the catalog.
# A face value that is not money: "86 Diamonds". The unit's forms come from the catalog; Fluent picks the
# one for $count by this language's plural rules (a form the catalog does not give is its "other").
face-value-units = { $amount } { $count ->
        [one] { $one }
       *[other] { $other }
    }
order-status-line = 📦 Order { $order }: { $status }.
order-paid-confirming = ⏳ Order { $order }: we are confirming your payment. Your order arrives in this chat in a moment.
button-show-code = 🔑 Show the code again
button-order-details = 📦 Order details
# This language's name in itself, for the /language picker.
language-name = 🇬🇧 English
checkout-ready-stars =
    🧾 <b>Order { $order }</b>
    { $name } × { $quantity }
    Total: <b>{ $total }</b>

    Pay with Telegram Stars: tap <b>Pay</b> on the invoice below. The order is kept for you for 30 minutes, until { $until }.
delivery-expiry-line = Valid until: { $date }

# Email, the backup channel (/email, and what the shop mails). { $code } in email-confirm-body is the 6-digit code.
command-email = Email for your codes (backup)
email-unavailable = This shop does not send email.
email-ask =
    ✉️ Send me your email address. If Telegram ever cannot deliver a code to you (the bot was blocked, the chat was lost), it goes there instead.
    We will email you a 6-digit code to confirm it. /cancel to stop.
email-invalid = "{ $value }" is not an email address. Try again, or /cancel:
email-code-sent = ✉️ We sent a 6-digit code to { $email }. Type it here within { $minutes } minutes. Nothing arrived? Check the spam folder, or send the address again.
email-code-expected = Type the 6-digit code from the email, send another address, or /cancel.
email-code-wrong = That is not the code we sent. { $left ->
        [one] One try left.
       *[other] { $left } tries left.
    }
email-code-expired = That code has expired. Send your address again to get a new one.
email-code-too-many-tries = Too many wrong codes. Send your address again to get a new one.
email-code-too-soon = A code was sent less than a minute ago. Check your inbox, or try again in a minute.
email-code-too-many = You asked for many codes today. Please try again tomorrow, or write to { $support }.
email-confirmed = ✅ { $email } is confirmed. If Telegram cannot deliver a code to you, it goes there.
email-current = ✉️ Your email for codes: { $email } (confirmed).
button-email-change = ✏️ Change
button-email-remove = 🗑 Remove
email-removed = Done: your email address is removed.
email-subject-delivery = Your { $name } · order { $order }
email-subject-receipt = Receipt for order { $order }: { $name }
email-subject-notice = { $shop }: about your order { $order }
email-subject-confirm = { $shop }: confirm your email address
email-intro-delivery = We could not deliver order { $order } in Telegram, so here it is by email.
email-intro-receipt = Thank you for order { $order } ({ $amount }). Your code is below; it was also sent to you in Telegram.
email-intro-receipt-topup = Thank you for order { $order } ({ $amount }). The top-up's confirmation is below; it was also sent to you in Telegram.
email-intro-resend = Here is order { $order } again, as our support arranged.
email-confirm-body = Your code to confirm this address for { $shop } is <code>{ $code }</code>. Type it in the chat with the bot within { $minutes } minutes. If you did not ask for it, ignore this email.
email-footer = { $shop }, a shop in Telegram. Questions? Write to { $support }.
# The operator's console: paused sales and promo codes.
sales-paused = ⏸ Sales are paused for a short while. We'll be back soon — please try again a little later.
button-promo = 🎟 Have a promo code?
promo-ask = 🎟 Send your promo code for <b>{ $name }</b>.
promo-accepted = ✅ Promo code <b>{ $code }</b> applied: { $discount } off.
promo-unknown = This promo code doesn't exist or is no longer valid.
promo-expired = This promo code has expired.
promo-used-up = This promo code has been used up.
promo-not-for-product = This promo code doesn't apply to this product.
promo-try-again = Send another code, or tap Cancel.
checkout-promo = 🎟 Promo code { $code } (was { $was })
