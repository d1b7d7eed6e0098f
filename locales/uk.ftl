# Тексти для покупців, українська. Змінні вже екрановані для HTML Telegram.

welcome =
    👋 Ласкаво просимо до <b>{ $shop }</b>!
    Подарункові картки, поповнення ігор і мобільного зв'язку: код приходить у цей чат за лічені секунди після оплати.
    Оберіть категорію:
catalog-title = 🛍 Оберіть категорію:
category-title = <b>{ $category }</b>: оберіть товар
catalog-empty = Зараз у магазині нічого немає. Загляньте пізніше.
button-back = ⬅️ Назад
button-next = Далі ➡️
button-prev = ⬅️ Назад
button-catalog = 🛍 Каталог
button-buy = 🛒 Купити за { $price }
button-pay = 💳 Сплатити { $price }
button-cancel-order = ✖️ Скасувати замовлення
button-my-orders = 📦 Мої замовлення

product-card =
    <b>{ $name }</b>
    Номінал: { $face }
    Ціна: <b>{ $price }</b>
product-topup-note = Ми запитаємо { $recipient } для поповнення.
product-unavailable = Цього товару більше немає в продажу. Ось що є зараз.
price-changed = Ціна змінилася відтоді, як прийшло це повідомлення. Ось актуальна.

checkout-ready =
    🧾 <b>Замовлення { $order }</b>
    { $name } × { $quantity }
    Разом: <b>{ $total }</b>

    Натисніть <b>Сплатити</b>, щоб безпечно сплатити через Stripe. Посилання дійсне 30 хвилин, до { $until }.
checkout-reused = Це замовлення вже відкрите; ось його посилання на оплату.
checkout-too-many-unpaid = У вас { $count ->
        [one] { $count } неоплачене замовлення. Сплатіть або скасуйте його
        [few] { $count } неоплачені замовлення. Сплатіть або скасуйте одне з них
       *[other] { $count } неоплачених замовлень. Сплатіть або скасуйте одне з них
    } (/orders), перш ніж почати нове.
checkout-rate-limited = За останню годину ви зробили багато замовлень. Спробуйте пізніше або напишіть { $support }.
checkout-provider-down = Оплата зараз недоступна. Гроші не списано. Спробуйте за кілька хвилин.
checkout-not-allowed = На жаль, ми не можемо прийняти це замовлення. Якщо це помилка, напишіть { $support }.
checkout-bad-quantity = Така кількість для цього товару недоступна.
checkout-bad-recipient = Схоже, { $recipient } вказано неправильно.

order-cancelled = Замовлення { $order } скасовано. Гроші не списано.
order-cannot-cancel = Замовлення { $order } вже не можна скасувати: { $status }.

paid-received = ✅ Оплату замовлення { $order } отримано. Отримуємо ваш код…
paid-topup-received = ✅ Оплату замовлення { $order } отримано. Надсилаємо поповнення…
supplier-slow = ⏳ Оплату отримано. Замовлення { $order } в дорозі: постачальник відповідає довше, ніж зазвичай. Ви отримаєте його тут, щойно воно буде готове.

delivery-code-title =
    🎁 <b>{ $name }</b> ({ $face })
    Замовлення { $order }
delivery-instructions = <b>Як активувати:</b> { $instructions }
delivery-support = Питання? Напишіть { $support } і вкажіть замовлення { $order }.
delivery-continued = 🎁 Замовлення { $order }, продовження:
delivery-document-caption =
    🎁 <b>{ $name }</b> ({ $face }) × { $count }
    Замовлення { $order }

    { $count ->
        [1] Ваш код та інструкція з активації — у цьому файлі: в одне повідомлення вони не вміщаються.
        [one] Ваш { $count } код та інструкція з активації — у цьому файлі: в одне повідомлення вони не вміщаються.
        [few] Ваші { $count } коди та інструкція з активації — у цьому файлі: в одне повідомлення вони не вміщаються.
       *[other] Ваші { $count } кодів та інструкція з активації — у цьому файлі: в одне повідомлення вони не вміщаються.
    }

    Питання? Напишіть { $support } і вкажіть замовлення { $order }.
delivery-code-line = Код: <code>{ $code }</code>
delivery-pin-line = PIN: <code>{ $pin }</code>
delivery-serial-line = Серійний номер: <code>{ $serial }</code>
delivery-topup =
    ✅ <b>{ $name }</b> надіслано на <code>{ $recipient }</code>
    Замовлення { $order }
    Номер операції: <code>{ $reference }</code>

    Питання? Напишіть { $support } і вкажіть замовлення { $order }.

refunded-customer = ↩️ Ми не змогли виконати замовлення { $order }, тому оплату { $amount } повернуто. Гроші надійдуть на картку протягом 5–10 днів. Перепрошуємо.
review-customer = ⏳ Замовлення { $order } перевіряє наша команда. Нічого робити не потрібно: код або повернення коштів прийдуть сюди.
refunded-customer-stars = ↩️ Ми не змогли виконати замовлення { $order }, тому { $amount } повернуто на ваш баланс Telegram Stars. Перепрошуємо.
refunded-before-delivery = ↩️ Оплату замовлення { $order } повернуто, тому замовлення скасовано і нічого не буде доставлено. Гроші надійдуть на картку протягом 5–10 днів.
disputed-before-delivery = ⏸ Замовлення { $order } призупинено: оплату оскаржено у вашому банку. Якщо це помилка, напишіть у нашу підтримку.
stars-second-charge-refunded = ↩️ Замовлення { $order } оплатили двічі. Другий платіж { $amount } повернуто на ваш баланс Telegram Stars.

status-awaiting_payment = очікує оплати
status-paid = сплачено, отримуємо код
status-supplier_pending = сплачено, код в дорозі від постачальника
status-fulfilled = готово, надсилається
status-delivered = доставлено
status-delivered-email = доставлено поштою
status-delivery_failed = готово (не вдалося надіслати: відкрийте тут)
status-failed = не виконано, повернення коштів в дорозі
status-refunding = оформлюється повернення
status-refunded = кошти повернуто
status-needs_review = перевіряється нашою командою
status-expired = посилання на оплату застаріло
status-cancelled = скасовано

order-view =
    📦 <b>Замовлення { $order }</b>
    { $name } × { $quantity }: { $total }
    Статус: <b>{ $status }</b>
    Створено: { $created }
order-not-found = Замовлення { $order } не знайдено.
help =
    Цей бот продає подарункові картки та поповнення. Оберіть товар, сплатіть на сторінці Stripe, і код прийде сюди за лічені секунди.

    /start: каталог
    /orders: ваші замовлення та коди
    /support: зв'язатися з людиною
    /cancel: скасувати поточну дію
    /language: змінити мову
help-email = /email: адреса пошти для кодів на випадок, якщо Telegram не зможе їх доставити
support = Потрібна допомога? Напишіть { $support }.{ $last }
support-last-order = { " " }Вкажіть ваше останнє замовлення: <code>{ $order }</code>.
unknown-command = Я не знаю такої команди. /help покаже, що я вмію.
error-generic = Щось пішло не так на нашому боці. Двічі гроші не списано; спробуйте ще раз.
recipient-phone = номер телефону
recipient-player_id = ID гравця
recipient-email = адресу ел. пошти
orders-title = 📦 Ваші замовлення, спочатку нові:
orders-empty = У вас ще немає замовлень. /start відкриє каталог.
button-open = Відкрити
cancelled-nothing-pending = Готово. /start відкриє каталог.
stale-button = Ця кнопка застаріла. Ось актуальний екран.
button-cancel = ✖️ Скасувати
button-confirm = ✅ Підтвердити
ask-recipient-phone =
    <b>{ $name }</b>
    Надішліть номер телефону для поповнення в міжнародному форматі з кодом країни, наприклад <code>+5215512345678</code>.
ask-recipient-player_id =
    <b>{ $name }</b>
    Надішліть ID гравця для поповнення. { $hint }
ask-recipient-email =
    <b>{ $name }</b>
    Надішліть адресу ел. пошти облікового запису для поповнення.
bad-recipient-phone = «{ $value }» не схоже на номер у міжнародному форматі. Почніть з + і коду країни, наприклад <code>+5215512345678</code>. Спробуйте ще раз:
bad-recipient-player_id = «{ $value }» не підходить як ID гравця для цієї гри. { $hint } Спробуйте ще раз:
bad-recipient-email = «{ $value }» не схоже на адресу ел. пошти. Спробуйте ще раз:
confirm-topup =
    Перевірте замовлення:
    <b>{ $name }</b>
    { $what }: <code>{ $recipient }</code>
    Кількість: 1
    Разом: <b>{ $total }</b>
checkout-cancelled = Оформлення скасовано. Гроші не списано.
command-start = Каталог
command-orders = Мої замовлення та коди
command-help = Як це працює
command-support = Зв'язатися з людиною
command-cancel = Скасувати поточну дію
command-language = Змінити мову
brand-title = <b>{ $brand }</b>: оберіть номінал
from-price = від { $price }
ask-quantity = <b>{ $name }</b>: скільки кодів? (до { $max })
language-choose = Оберіть мову:
language-set = Готово: тепер я розмовляю з вами українською.
paid-header = ✅ Оплату замовлення { $order } отримано.
button-pay-stars = ⭐ Сплатити { $stars } { $stars ->
        [one] зірку
        [few] зірки
        [many] зірок
       *[other] зірки
    }
stars-invoice-description = Замовлення { $order }: { $quantity } ×, прийде в цей чат одразу після оплати.
stars-refused-unknown = Цей рахунок не стосується ваших замовлень.
stars-refused-not-payable = Це замовлення вже сплачене або закрите.
stars-refused-expired = Термін замовлення минув. Почніть знову з каталогу.
stars-refused-price = Ціна змінилася. Почніть знову з каталогу.
# Номінал, що не є грошима: «86 діамантів». Форми одиниці беруться з каталогу; Fluent обирає форму для
# $count за правилами множини української мови (форма, якої немає, — це «other»).
face-value-units = { $amount } { $count ->
        [one] { $one }
        [few] { $few }
        [many] { $many }
       *[other] { $other }
    }
order-status-line = 📦 Замовлення { $order }: { $status }.
order-paid-confirming = ⏳ Замовлення { $order }: підтверджуємо оплату. Замовлення прийде в цей чат за мить.
button-show-code = 🔑 Показати код ще раз
button-order-details = 📦 Деталі замовлення
# Назва цієї мови нею самою, для вибору в /language.
language-name = 🇺🇦 Українська
order-codes-separately = 🎁 Ваші коди не вміщаються на цьому екрані. Натисніть кнопку нижче — і вони знову прийдуть у цей чат.
button-send-codes = 🎁 Надіслати коди ще раз
checkout-ready-stars =
    🧾 <b>Замовлення { $order }</b>
    { $name } × { $quantity }
    Разом: <b>{ $total }</b>

    Оплата в Telegram Stars: натисніть <b>Сплатити</b> в рахунку нижче. Замовлення чекає на вас 30 хвилин, до { $until }.
delivery-expiry-line = Дійсний до: { $date }

# Пошта, запасний канал (/email і листи магазину). { $code } в email-confirm-body — 6-значний код.
command-email = Пошта для кодів (запасний канал)
email-unavailable = Цей магазин не надсилає листів.
email-ask =
    ✉️ Надішліть адресу електронної пошти. Якщо Telegram не зможе доставити вам код (бота заблоковано, чат втрачено), він прийде туди.
    Ми надішлемо 6-значний код, щоб підтвердити адресу. /cancel — скасувати.
email-invalid = «{ $value }» — не адреса електронної пошти. Спробуйте ще раз або /cancel:
email-code-sent = ✉️ Ми надіслали 6-значний код на { $email }. Введіть його тут протягом { $minutes } хв. Листа немає? Перевірте папку «Спам» або надішліть адресу ще раз.
email-code-expected = Введіть 6-значний код із листа, надішліть іншу адресу або /cancel.
email-code-wrong = Це не той код, що ми надіслали. { $left ->
        [one] Залишилася { $left } спроба.
        [few] Залишилося { $left } спроби.
       *[other] Залишилося { $left } спроб.
    }
email-code-expired = Термін дії коду минув. Надішліть адресу ще раз, щоб отримати новий.
email-code-too-many-tries = Забагато неправильних кодів. Надішліть адресу ще раз, щоб отримати новий.
email-code-too-soon = Код надіслано менше хвилини тому. Перевірте пошту або спробуйте за хвилину.
email-code-too-many = Сьогодні ви запросили багато кодів. Спробуйте завтра або напишіть { $support }.
email-confirmed = ✅ Адресу { $email } підтверджено. Якщо Telegram не зможе доставити вам код, він прийде туди.
email-current = ✉️ Ваша пошта для кодів: { $email } (підтверджена).
button-email-change = ✏️ Змінити
button-email-remove = 🗑 Видалити
email-removed = Готово: адресу пошти видалено.
email-subject-delivery = Ваш { $name } · замовлення { $order }
email-subject-receipt = Чек за замовленням { $order }: { $name }
email-subject-notice = { $shop }: про ваше замовлення { $order }
email-subject-confirm = { $shop }: підтвердьте адресу пошти
email-intro-delivery = Ми не змогли доставити замовлення { $order } у Telegram, тому надсилаємо його листом.
email-intro-receipt = Дякуємо за замовлення { $order } ({ $amount }). Ваш код нижче; його також надіслано вам у Telegram.
email-intro-receipt-topup = Дякуємо за замовлення { $order } ({ $amount }). Підтвердження поповнення нижче; ми також надіслали його вам у Telegram.
email-intro-resend = Ось замовлення { $order } ще раз, як домовилися з підтримкою.
email-confirm-body = Ваш код для підтвердження цієї адреси в { $shop }: <code>{ $code }</code>. Введіть його в чаті з ботом протягом { $minutes } хв. Якщо ви його не запитували, просто проігноруйте цей лист.
email-footer = { $shop }, магазин у Telegram. Питання? Пишіть { $support }.
# Консоль оператора: пауза продажів і промокоди.
sales-paused = ⏸ Продажі ненадовго призупинено. Скоро повернемося — будь ласка, спробуйте трохи згодом.
button-promo = 🎟 Маєте промокод?
promo-ask = 🎟 Надішліть промокод для <b>{ $name }</b>.
promo-accepted = ✅ Промокод <b>{ $code }</b> застосовано: знижка { $discount }.
promo-unknown = Такого промокоду немає або він більше не діє.
promo-expired = Термін дії цього промокоду минув.
promo-used-up = Цей промокод уже вичерпано.
promo-not-for-product = Цей промокод не діє для цього товару.
promo-try-again = Надішліть інший код або натисніть «Скасувати».
checkout-promo = 🎟 Промокод { $code } (було { $was })
