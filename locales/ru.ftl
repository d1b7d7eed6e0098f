# Тексты для покупателей, русский.

welcome =
    👋 Добро пожаловать в <b>{ $shop }</b>!
    Подарочные карты, пополнение игр и мобильной связи: код приходит в этот чат через секунды после оплаты.
    Выберите категорию:
catalog-title = 🛍 Выберите категорию:
category-title = <b>{ $category }</b>: выберите товар
catalog-empty = Сейчас в магазине ничего нет. Загляните позже.
button-back = ⬅️ Назад
button-next = Дальше ➡️
button-prev = ⬅️ Назад
button-catalog = 🛍 Каталог
button-buy = 🛒 Купить за { $price }
button-pay = 💳 Оплатить { $price }
button-cancel-order = ✖️ Отменить заказ
button-my-orders = 📦 Мои заказы

product-card =
    <b>{ $name }</b>
    Номинал: { $face }
    Цена: <b>{ $price }</b>
product-topup-note = Мы спросим { $recipient } для пополнения.
product-unavailable = Этого товара больше нет в продаже. Вот что есть сейчас.
price-changed = Цена изменилась с тех пор, как пришло это сообщение. Вот актуальная.

checkout-ready =
    🧾 <b>Заказ { $order }</b>
    { $name } × { $quantity }
    Итого: <b>{ $total }</b>

    Нажмите <b>Оплатить</b>, чтобы безопасно оплатить через Stripe. Ссылка действует 30 минут, до { $until }.
checkout-reused = Этот заказ уже открыт; вот его ссылка на оплату.
checkout-too-many-unpaid = У вас { $count ->
        [one] { $count } неоплаченный заказ. Оплатите или отмените его
        [few] { $count } неоплаченных заказа. Оплатите или отмените один из них
       *[other] { $count } неоплаченных заказов. Оплатите или отмените один из них
    } (/orders), прежде чем начать новый.
checkout-rate-limited = За последний час вы сделали много заказов. Попробуйте позже или напишите { $support }.
checkout-provider-down = Оплата сейчас недоступна. Деньги не списаны. Попробуйте через несколько минут.
checkout-not-allowed = К сожалению, мы не можем принять этот заказ. Если это ошибка, напишите { $support }.
checkout-bad-quantity = Такое количество для этого товара недоступно.
checkout-bad-recipient = Похоже, { $recipient } указан неверно.

order-cancelled = Заказ { $order } отменён. Деньги не списаны.
order-cannot-cancel = Заказ { $order } уже нельзя отменить: { $status }.

paid-received = ✅ Оплата заказа { $order } получена. Получаем ваш код…
paid-topup-received = ✅ Оплата заказа { $order } получена. Отправляем пополнение…
supplier-slow = ⏳ Оплата получена. Заказ { $order } в пути: поставщик отвечает дольше обычного. Код придёт сюда, как только будет готов.

delivery-code-title =
    🎁 <b>{ $name }</b> ({ $face })
    Заказ { $order }
delivery-instructions = <b>Как активировать:</b> { $instructions }
delivery-support = Вопросы? Напишите { $support } и укажите заказ { $order }.
delivery-continued = 🎁 Заказ { $order }, продолжение:
delivery-document-caption =
    🎁 <b>{ $name }</b> ({ $face }) × { $count }
    Заказ { $order }

    { $count ->
        [1] Ваш код и инструкция по активации — в этом файле: в одно сообщение они не помещаются.
        [one] Ваш { $count } код и инструкция по активации — в этом файле: в одно сообщение они не помещаются.
        [few] Ваши { $count } кода и инструкция по активации — в этом файле: в одно сообщение они не помещаются.
       *[other] Ваши { $count } кодов и инструкция по активации — в этом файле: в одно сообщение они не помещаются.
    }

    Вопросы? Напишите { $support } и укажите заказ { $order }.
delivery-code-line = Код: <code>{ $code }</code>
delivery-pin-line = PIN: <code>{ $pin }</code>
delivery-serial-line = Серийный номер: <code>{ $serial }</code>
delivery-topup =
    ✅ <b>{ $name }</b> отправлено на <code>{ $recipient }</code>
    Заказ { $order }
    Номер операции: <code>{ $reference }</code>

    Вопросы? Напишите { $support } и укажите заказ { $order }.

refunded-customer = ↩️ Мы не смогли выполнить заказ { $order }, поэтому оплата { $amount } возвращена. Деньги придут на карту в течение 5–10 дней. Приносим извинения.
review-customer = ⏳ Заказ { $order } проверяет наша команда. Ничего делать не нужно: код или возврат придут сюда.
refunded-customer-stars = ↩️ Мы не смогли выполнить заказ { $order }, поэтому { $amount } возвращены на ваш баланс Telegram Stars. Приносим извинения.
refunded-before-delivery = ↩️ Оплата заказа { $order } возвращена, поэтому заказ отменён и ничего не будет доставлено. Деньги придут на карту в течение 5–10 дней.
disputed-before-delivery = ⏸ Заказ { $order } приостановлен: оплата оспорена в вашем банке. Если это ошибка, напишите в нашу поддержку.
stars-second-charge-refunded = ↩️ Заказ { $order } был оплачен дважды. Второй платёж { $amount } возвращён на ваш баланс Telegram Stars.

status-awaiting_payment = ожидает оплаты
status-paid = оплачен, получаем код
status-supplier_pending = оплачен, код в пути от поставщика
status-fulfilled = готов, отправляется
status-delivered = доставлен
status-delivered-email = доставлен по почте
status-delivery_failed = готов (не удалось отправить: откройте здесь)
status-failed = не выполнен, возврат в пути
status-refunding = оформляется возврат
status-refunded = деньги возвращены
status-needs_review = проверяется нашей командой
status-expired = ссылка на оплату истекла
status-cancelled = отменён

order-view =
    📦 <b>Заказ { $order }</b>
    { $name } × { $quantity }: { $total }
    Статус: <b>{ $status }</b>
    Создан: { $created }
order-not-found = Заказ { $order } не найден.
order-codes-separately = 🎁 Ваши коды не помещаются на этом экране. Нажмите кнопку ниже — и они снова придут в этот чат.
button-send-codes = 🎁 Прислать коды ещё раз
help =
    Этот бот продаёт подарочные карты и пополнения. Выберите товар, оплатите на странице Stripe, и код придёт сюда через секунды.

    /start: каталог
    /orders: ваши заказы и коды
    /support: связаться с человеком
    /cancel: отменить текущее действие
    /language: сменить язык
help-email = /email: адрес почты для кодов на случай, если Telegram не сможет их доставить
support = Нужна помощь? Напишите { $support }.{ $last }
support-last-order = { " " }Укажите ваш последний заказ: <code>{ $order }</code>.
unknown-command = Я не знаю такой команды. /help покажет, что я умею.
error-generic = Что-то пошло не так на нашей стороне. Деньги дважды не списаны; попробуйте ещё раз.
recipient-phone = номер телефона
recipient-player_id = ID игрока
recipient-email = адрес эл. почты
orders-title = 📦 Ваши заказы, сначала новые:
orders-empty = У вас пока нет заказов. /start откроет каталог.
button-open = Открыть
cancelled-nothing-pending = Готово. /start откроет каталог.
stale-button = Эта кнопка устарела. Вот актуальный экран.
button-cancel = ✖️ Отмена
button-confirm = ✅ Подтвердить
ask-recipient-phone =
    <b>{ $name }</b>
    Отправьте номер телефона для пополнения в международном формате с кодом страны, например <code>+5215512345678</code>.
ask-recipient-player_id =
    <b>{ $name }</b>
    Отправьте ID игрока для пополнения. { $hint }
ask-recipient-email =
    <b>{ $name }</b>
    Отправьте адрес эл. почты аккаунта для пополнения.
bad-recipient-phone = «{ $value }» не похоже на номер в международном формате. Начните с + и кода страны, например <code>+5215512345678</code>. Попробуйте ещё раз:
bad-recipient-player_id = «{ $value }» не подходит как ID игрока для этой игры. { $hint } Попробуйте ещё раз:
bad-recipient-email = «{ $value }» не похоже на адрес эл. почты. Попробуйте ещё раз:
confirm-topup =
    Проверьте заказ:
    <b>{ $name }</b>
    { $what }: <code>{ $recipient }</code>
    Количество: 1
    Итого: <b>{ $total }</b>
checkout-cancelled = Оформление отменено. Деньги не списаны.
command-start = Каталог
command-orders = Мои заказы и коды
command-help = Как это работает
command-support = Связаться с человеком
command-cancel = Отменить текущее действие
command-language = Сменить язык
brand-title = <b>{ $brand }</b>: выберите номинал
from-price = от { $price }
ask-quantity = <b>{ $name }</b>: сколько кодов? (до { $max })
language-choose = Выберите язык:
language-set = Готово: теперь я говорю с вами по-русски.
paid-header = ✅ Оплата заказа { $order } получена.
button-pay-stars = ⭐ Оплатить { $stars } { $stars ->
        [one] звезду
        [few] звезды
        [many] звёзд
       *[other] звезды
    }
stars-invoice-description = Заказ { $order }: { $quantity } ×, придёт в этот чат сразу после оплаты.
stars-refused-unknown = Этот счёт не относится к вашим заказам.
stars-refused-not-payable = Этот заказ уже оплачен или закрыт.
stars-refused-expired = Срок заказа истёк. Начните заново из каталога.
stars-refused-price = Цена изменилась. Начните заново из каталога.
# Номинал, который не деньги: «86 алмазов». Формы единицы берутся из каталога; Fluent выбирает форму для
# $count по правилам множественного числа русского языка (недостающая форма — это «other»).
face-value-units = { $amount } { $count ->
        [one] { $one }
        [few] { $few }
        [many] { $many }
       *[other] { $other }
    }
order-status-line = 📦 Заказ { $order }: { $status }.
order-paid-confirming = ⏳ Заказ { $order }: подтверждаем оплату. Заказ придёт в этот чат через мгновение.
button-show-code = 🔑 Показать код ещё раз
button-order-details = 📦 Подробнее о заказе
# Название этого языка на нём самом, для выбора в /language.
language-name = 🇷🇺 Русский
checkout-ready-stars =
    🧾 <b>Заказ { $order }</b>
    { $name } × { $quantity }
    Итого: <b>{ $total }</b>

    Оплата в Telegram Stars: нажмите <b>Оплатить</b> в счёте ниже. Заказ ждёт вас 30 минут, до { $until }.
delivery-expiry-line = Действует до: { $date }

# Почта, запасной канал (/email и письма магазина). { $code } в email-confirm-body — 6-значный код.
command-email = Почта для кодов (запасной канал)
email-unavailable = Этот магазин не отправляет письма.
email-ask =
    ✉️ Пришлите адрес электронной почты. Если Telegram не сможет доставить вам код (бот заблокирован, чат потерян), он придёт туда.
    Мы отправим 6-значный код, чтобы подтвердить адрес. /cancel — отменить.
email-invalid = «{ $value }» — не адрес электронной почты. Попробуйте ещё раз или /cancel:
email-code-sent = ✉️ Мы отправили 6-значный код на { $email }. Введите его здесь в течение { $minutes } мин. Письма нет? Проверьте папку «Спам» или пришлите адрес ещё раз.
email-code-expected = Введите 6-значный код из письма, пришлите другой адрес или /cancel.
email-code-wrong = Это не тот код, что мы отправили. { $left ->
        [one] Осталась { $left } попытка.
        [few] Осталось { $left } попытки.
       *[other] Осталось { $left } попыток.
    }
email-code-expired = Срок действия кода истёк. Пришлите адрес ещё раз, чтобы получить новый.
email-code-too-many-tries = Слишком много неверных кодов. Пришлите адрес ещё раз, чтобы получить новый.
email-code-too-soon = Код был отправлен меньше минуты назад. Проверьте почту или попробуйте через минуту.
email-code-too-many = Сегодня вы запросили много кодов. Попробуйте завтра или напишите { $support }.
email-confirmed = ✅ Адрес { $email } подтверждён. Если Telegram не сможет доставить вам код, он придёт туда.
email-current = ✉️ Ваша почта для кодов: { $email } (подтверждена).
button-email-change = ✏️ Изменить
button-email-remove = 🗑 Удалить
email-removed = Готово: адрес почты удалён.
email-subject-delivery = Ваш { $name } · заказ { $order }
email-subject-receipt = Чек по заказу { $order }: { $name }
email-subject-notice = { $shop }: о вашем заказе { $order }
email-subject-confirm = { $shop }: подтвердите адрес почты
email-intro-delivery = Мы не смогли доставить заказ { $order } в Telegram, поэтому отправляем его письмом.
email-intro-receipt = Спасибо за заказ { $order } ({ $amount }). Ваш код ниже; он также отправлен вам в Telegram.
email-intro-receipt-topup = Спасибо за заказ { $order } ({ $amount }). Подтверждение пополнения ниже; мы также отправили его вам в Telegram.
email-intro-resend = Вот заказ { $order } ещё раз, как договорились с поддержкой.
email-confirm-body = Ваш код для подтверждения этого адреса в { $shop }: <code>{ $code }</code>. Введите его в чате с ботом в течение { $minutes } мин. Если вы его не запрашивали, просто проигнорируйте это письмо.
email-footer = { $shop }, магазин в Telegram. Вопросы? Пишите { $support }.
# Консоль оператора: пауза продаж и промокоды.
sales-paused = ⏸ Продажи ненадолго приостановлены. Скоро вернёмся — пожалуйста, попробуйте чуть позже.
button-promo = 🎟 Есть промокод?
promo-ask = 🎟 Отправьте промокод для <b>{ $name }</b>.
promo-accepted = ✅ Промокод <b>{ $code }</b> применён: скидка { $discount }.
promo-unknown = Такого промокода нет или он больше не действует.
promo-expired = Срок действия этого промокода истёк.
promo-used-up = Этот промокод уже израсходован.
promo-not-for-product = Этот промокод не действует для этого товара.
promo-try-again = Отправьте другой код или нажмите «Отмена».
checkout-promo = 🎟 Промокод { $code } (было { $was })
