# Textos para clientes, español. Las variables ya llegan escapadas para el HTML de Telegram.

welcome =
    👋 ¡Te damos la bienvenida a <b>{ $shop }</b>!
    Tarjetas de regalo, recargas de juegos y saldo para el celular, entregados en este chat segundos después de pagar.
    Elige una categoría:
catalog-title = 🛍 Elige una categoría:
category-title = <b>{ $category }</b>: elige un producto
catalog-empty = Ahora mismo la tienda no tiene nada a la venta. Vuelve más tarde.
button-back = ⬅️ Atrás
button-next = Siguiente ➡️
button-prev = ⬅️ Anterior
button-catalog = 🛍 Catálogo
button-buy = 🛒 Comprar por { $price }
button-pay = 💳 Pagar { $price }
button-cancel-order = ✖️ Cancelar pedido
button-my-orders = 📦 Mis pedidos

product-card =
    <b>{ $name }</b>
    Valor: { $face }
    Precio: <b>{ $price }</b>
product-topup-note = Te pediremos el { $recipient } que quieres recargar.
product-unavailable = Este producto ya no está disponible. Esto es lo que hay ahora en la tienda.
price-changed = El precio cambió desde que se envió este mensaje. Este es el actual.

checkout-ready =
    🧾 <b>Pedido { $order }</b>
    { $name } × { $quantity }
    Total: <b>{ $total }</b>

    Toca <b>Pagar</b> para pagar de forma segura con Stripe. El enlace de pago vale 30 minutos, hasta las { $until }.
checkout-reused = Ya tienes este pedido abierto; aquí está otra vez su enlace de pago.
checkout-too-many-unpaid = Tienes { $count ->
        [one] { $count } pedido sin pagar. Págalo o cancélalo
       *[other] { $count } pedidos sin pagar. Paga o cancela uno de ellos
    } (/orders) antes de empezar otro.
checkout-rate-limited = Hiciste muchos pedidos en la última hora. Inténtalo más tarde o escribe a { $support }.
checkout-provider-down = Los pagos no están disponibles en este momento. No se cobró nada. Inténtalo de nuevo en unos minutos.
checkout-not-allowed = Lo sentimos, no podemos aceptar este pedido. Si crees que es un error, escribe a { $support }.
checkout-bad-quantity = Esa cantidad no está disponible para este producto.
checkout-bad-recipient = Ese { $recipient } no parece correcto.

order-cancelled = El pedido { $order } está cancelado. No se cobró nada.
order-cannot-cancel = El pedido { $order } ya no se puede cancelar: { $status }.

paid-received = ✅ Recibimos el pago del pedido { $order }. Obteniendo tu código…
paid-topup-received = ✅ Recibimos el pago del pedido { $order }. Enviando tu recarga…
supplier-slow = ⏳ Pago recibido. Tu pedido { $order } está en camino: el proveedor está tardando más de lo normal. Lo recibirás aquí en cuanto esté listo.

delivery-code-title =
    🎁 <b>{ $name }</b> ({ $face })
    Pedido { $order }
delivery-instructions = <b>Cómo canjearlo:</b> { $instructions }
delivery-support = ¿Preguntas? Escribe a { $support } e indica el pedido { $order }.
delivery-continued = 🎁 Pedido { $order }, continuación:
delivery-document-caption =
    🎁 <b>{ $name }</b> ({ $face }) × { $count }
    Pedido { $order }

    { $count ->
        [1] Tu código y cómo canjearlo están en este archivo: no caben en un mensaje.
       *[other] Tus { $count } códigos y cómo canjearlos están en este archivo: no caben en un mensaje.
    }

    ¿Preguntas? Escribe a { $support } e indica el pedido { $order }.
delivery-code-line = Código: <code>{ $code }</code>
delivery-pin-line = PIN: <code>{ $pin }</code>
delivery-serial-line = Número de serie: <code>{ $serial }</code>
delivery-topup =
    ✅ <b>{ $name }</b> enviado a <code>{ $recipient }</code>
    Pedido { $order }
    Referencia del operador: <code>{ $reference }</code>

    ¿Preguntas? Escribe a { $support } e indica el pedido { $order }.

refunded-customer = ↩️ No pudimos completar el pedido { $order }, así que te devolvimos el pago de { $amount }. Llegará a tu tarjeta en un plazo de 5 a 10 días. Lo sentimos.
review-customer = ⏳ Nuestro equipo está revisando el pedido { $order }. No tienes que hacer nada: recibirás aquí tu código o el reembolso.
refunded-customer-stars = ↩️ No pudimos completar el pedido { $order }, así que tus { $amount } volvieron a tu saldo de Telegram Stars. Lo sentimos.
refunded-before-delivery = ↩️ El pago del pedido { $order } fue reembolsado, así que el pedido se canceló y no se entregará nada. El dinero llegará a tu tarjeta en un plazo de 5 a 10 días.
disputed-before-delivery = ⏸ El pedido { $order } está en espera: su pago fue disputado con tu banco. Si es un error, escribe a nuestro soporte.
stars-second-charge-refunded = ↩️ El pedido { $order } se pagó dos veces. El segundo pago de { $amount } volvió a tu saldo de Telegram Stars.

status-awaiting_payment = esperando el pago
status-paid = pagado, obteniendo tu código
status-supplier_pending = pagado, en camino desde el proveedor
status-fulfilled = listo, enviándose
status-delivered = entregado
status-delivered-email = entregado por correo
status-delivery_failed = listo (no se pudo enviar: ábrelo aquí)
status-failed = no se pudo completar, reembolso en camino
status-refunding = reembolsándose
status-refunded = reembolsado
status-needs_review = en revisión por nuestro equipo
status-expired = el enlace de pago caducó
status-cancelled = cancelado

order-view =
    📦 <b>Pedido { $order }</b>
    { $name } × { $quantity }: { $total }
    Estado: <b>{ $status }</b>
    Creado: { $created }
order-not-found = No encontramos ningún pedido { $order } a tu nombre.
help =
    Este bot vende tarjetas de regalo y recargas. Elige un producto, paga en la página de Stripe y el código llega aquí en segundos.

    /start: el catálogo
    /orders: tus pedidos y códigos
    /support: hablar con una persona
    /cancel: cancelar lo que estás haciendo
    /language: cambiar el idioma
help-email = /email: un correo para tus códigos, por si Telegram no puede entregarlos
support = ¿Necesitas ayuda? Escribe a { $support }.{ $last }
support-last-order = { " " }Indica tu último pedido: <code>{ $order }</code>.
unknown-command = No conozco ese comando. /help muestra lo que puedo hacer.
error-generic = Algo salió mal de nuestro lado. No se cobró nada dos veces; inténtalo de nuevo.
recipient-phone = número de teléfono
recipient-player_id = ID de jugador
recipient-email = correo electrónico
orders-title = 📦 Tus pedidos, del más reciente al más antiguo:
orders-empty = Todavía no tienes pedidos. /start abre el catálogo.
button-open = Abrir
cancelled-nothing-pending = Listo. /start abre el catálogo.
stale-button = Este botón está desactualizado. Esta es la vista actual.
button-cancel = ✖️ Cancelar
button-confirm = ✅ Confirmar
ask-recipient-phone =
    <b>{ $name }</b>
    Envía el número de teléfono a recargar en formato internacional, con el código de país, p. ej. <code>+5215512345678</code>.
ask-recipient-player_id =
    <b>{ $name }</b>
    Envía el ID de jugador a recargar. { $hint }
ask-recipient-email =
    <b>{ $name }</b>
    Envía el correo electrónico de la cuenta a recargar.
bad-recipient-phone = «{ $value }» no es un número de teléfono en formato internacional. Empieza con + y el código de país, p. ej. <code>+5215512345678</code>. Inténtalo de nuevo:
bad-recipient-player_id = «{ $value }» no es un ID de jugador válido para este juego. { $hint } Inténtalo de nuevo:
bad-recipient-email = «{ $value }» no es un correo electrónico. Inténtalo de nuevo:
confirm-topup =
    Revisa tu pedido:
    <b>{ $name }</b>
    { $what }: <code>{ $recipient }</code>
    Cantidad: 1
    Total: <b>{ $total }</b>
checkout-cancelled = Compra cancelada. No se cobró nada.
command-start = Catálogo
command-orders = Mis pedidos y códigos
command-help = Cómo funciona
command-support = Hablar con una persona
command-cancel = Cancelar lo que estoy haciendo
command-language = Cambiar el idioma
brand-title = <b>{ $brand }</b>: elige un monto
from-price = desde { $price }
ask-quantity = <b>{ $name }</b>: ¿cuántos códigos? (hasta { $max })
language-choose = Elige tu idioma:
language-set = Listo: ahora te hablaré en español.
paid-header = ✅ Recibimos el pago del pedido { $order }.
button-pay-stars = ⭐ Pagar { $stars ->
        [one] { $stars } estrella
       *[other] { $stars } estrellas
    }
stars-invoice-description = Pedido { $order }: { $quantity } ×, entregado en este chat justo después del pago.
stars-refused-unknown = Esta factura no corresponde a ninguno de tus pedidos.
stars-refused-not-payable = Este pedido ya está pagado o cerrado.
stars-refused-expired = Este pedido caducó. Empieza de nuevo desde el catálogo.
stars-refused-price = El precio cambió. Empieza de nuevo desde el catálogo.
# Un valor que no es dinero: «86 diamantes». Las formas de la unidad vienen del catálogo; Fluent elige la de
# $count según las reglas de plural del español (una forma que falte es la «other»).
face-value-units = { $amount } { $count ->
        [one] { $one }
        [many] { $many }
       *[other] { $other }
    }
order-status-line = 📦 Pedido { $order }: { $status }.
order-paid-confirming = ⏳ Pedido { $order }: estamos confirmando tu pago. Tu pedido llegará a este chat en un momento.
button-show-code = 🔑 Ver el código otra vez
button-order-details = 📦 Detalles del pedido
# El nombre de este idioma en sí mismo, para el selector de /language.
language-name = 🇪🇸 Español
order-codes-separately = 🎁 Tus códigos no caben en esta pantalla. Toca el botón de abajo y llegarán de nuevo a este chat.
button-send-codes = 🎁 Enviarme los códigos otra vez
checkout-ready-stars =
    🧾 <b>Pedido { $order }</b>
    { $name } × { $quantity }
    Total: <b>{ $total }</b>

    Paga con Telegram Stars: toca <b>Pagar</b> en la factura de abajo. Guardamos el pedido 30 minutos, hasta las { $until }.
delivery-expiry-line = Válido hasta: { $date }

# Correo, el canal de respaldo (/email y lo que la tienda envía). { $code } en email-confirm-body es el código de 6 dígitos.
command-email = Correo para tus códigos (respaldo)
email-unavailable = Esta tienda no envía correos.
email-ask =
    ✉️ Envíame tu dirección de correo. Si alguna vez Telegram no puede entregarte un código (bloqueaste el bot, perdiste el chat), te llegará allí.
    Te enviaremos un código de 6 dígitos para confirmarla. /cancel para salir.
email-invalid = "{ $value }" no es una dirección de correo. Inténtalo de nuevo, o /cancel:
email-code-sent = ✉️ Enviamos un código de 6 dígitos a { $email }. Escríbelo aquí en los próximos { $minutes } minutos. ¿No llegó? Revisa la carpeta de spam o envía la dirección otra vez.
email-code-expected = Escribe el código de 6 dígitos del correo, envía otra dirección o /cancel.
email-code-wrong = Ese no es el código que enviamos. { $left ->
        [one] Te queda un intento.
       *[other] Te quedan { $left } intentos.
    }
email-code-expired = Ese código caducó. Envía tu dirección otra vez para recibir uno nuevo.
email-code-too-many-tries = Demasiados códigos incorrectos. Envía tu dirección otra vez para recibir uno nuevo.
email-code-too-soon = Enviamos un código hace menos de un minuto. Revisa tu bandeja de entrada o inténtalo dentro de un minuto.
email-code-too-many = Hoy pediste muchos códigos. Inténtalo mañana o escribe a { $support }.
email-confirmed = ✅ { $email } está confirmado. Si Telegram no puede entregarte un código, te llegará allí.
email-current = ✉️ Tu correo para los códigos: { $email } (confirmado).
button-email-change = ✏️ Cambiar
button-email-remove = 🗑 Eliminar
email-removed = Listo: tu dirección de correo se eliminó.
email-subject-delivery = Tu { $name } · pedido { $order }
email-subject-receipt = Recibo del pedido { $order }: { $name }
email-subject-notice = { $shop }: sobre tu pedido { $order }
email-subject-confirm = { $shop }: confirma tu dirección de correo
email-intro-delivery = No pudimos entregar el pedido { $order } en Telegram, así que aquí lo tienes por correo.
email-intro-receipt = Gracias por el pedido { $order } ({ $amount }). Tu código está abajo; también te lo enviamos en Telegram.
email-intro-receipt-topup = Gracias por el pedido { $order } ({ $amount }). La confirmación de la recarga está abajo; también te la enviamos en Telegram.
email-intro-resend = Aquí tienes el pedido { $order } otra vez, como acordaste con nuestro soporte.
email-confirm-body = Tu código para confirmar esta dirección en { $shop } es <code>{ $code }</code>. Escríbelo en el chat con el bot en los próximos { $minutes } minutos. Si no lo pediste, ignora este correo.
email-footer = { $shop }, una tienda en Telegram. ¿Dudas? Escribe a { $support }.
# La consola del operador: ventas en pausa y códigos promocionales.
sales-paused = ⏸ Las ventas están en pausa por un rato. Volvemos pronto; inténtalo de nuevo un poco más tarde.
button-promo = 🎟 ¿Tienes un código promocional?
promo-ask = 🎟 Envía tu código promocional para <b>{ $name }</b>.
promo-accepted = ✅ Código <b>{ $code }</b> aplicado: { $discount } de descuento.
promo-unknown = Este código promocional no existe o ya no es válido.
promo-expired = Este código promocional ha caducado.
promo-used-up = Este código promocional ya se ha agotado.
promo-not-for-product = Este código promocional no se aplica a este producto.
promo-try-again = Envía otro código o toca Cancelar.
checkout-promo = 🎟 Código promocional { $code } (antes { $was })
