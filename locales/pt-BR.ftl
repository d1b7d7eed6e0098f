# Textos para clientes, português do Brasil. As variáveis já chegam escapadas para o HTML do Telegram.

welcome =
    👋 Boas-vindas à loja <b>{ $shop }</b>!
    Gift cards, recargas de jogos e de celular, entregues neste chat segundos depois do pagamento.
    Escolha uma categoria:
catalog-title = 🛍 Escolha uma categoria:
category-title = <b>{ $category }</b>: escolha um produto
catalog-empty = A loja não tem nada à venda agora. Volte mais tarde.
button-back = ⬅️ Voltar
button-next = Próximo ➡️
button-prev = ⬅️ Anterior
button-catalog = 🛍 Catálogo
button-buy = 🛒 Comprar por { $price }
button-pay = 💳 Pagar { $price }
button-cancel-order = ✖️ Cancelar pedido
button-my-orders = 📦 Meus pedidos

product-card =
    <b>{ $name }</b>
    Valor: { $face }
    Preço: <b>{ $price }</b>
product-topup-note = Vamos pedir o { $recipient } para a recarga.
product-unavailable = Este produto não está mais disponível. Veja o que a loja tem agora.
price-changed = O preço mudou desde que esta mensagem foi enviada. Este é o preço atual.

checkout-ready =
    🧾 <b>Pedido { $order }</b>
    { $name } × { $quantity }
    Total: <b>{ $total }</b>

    Toque em <b>Pagar</b> para pagar com segurança pelo Stripe. O link de pagamento vale por 30 minutos, até { $until }.
checkout-reused = Você já tem este pedido aberto; aqui está o link de pagamento de novo.
checkout-too-many-unpaid = Você tem { $count ->
        [one] { $count } pedido não pago. Pague ou cancele esse pedido
       *[other] { $count } pedidos não pagos. Pague ou cancele um deles
    } (/orders) antes de começar outro.
checkout-rate-limited = Você fez muitos pedidos na última hora. Tente de novo mais tarde ou escreva para { $support }.
checkout-provider-down = Os pagamentos não estão disponíveis agora. Nada foi cobrado. Tente de novo em alguns minutos.
checkout-not-allowed = Desculpe, não podemos aceitar este pedido. Se achar que é um engano, escreva para { $support }.
checkout-bad-quantity = Essa quantidade não está disponível para este produto.
checkout-bad-recipient = Esse { $recipient } não parece correto.

order-cancelled = O pedido { $order } foi cancelado. Nada foi cobrado.
order-cannot-cancel = O pedido { $order } não pode mais ser cancelado: { $status }.

paid-received = ✅ Pagamento do pedido { $order } recebido. Buscando seu código…
paid-topup-received = ✅ Pagamento do pedido { $order } recebido. Enviando sua recarga…
supplier-slow = ⏳ Pagamento recebido. Seu pedido { $order } está a caminho: o fornecedor está demorando mais do que o normal. Você vai recebê-lo aqui assim que estiver pronto.

delivery-code-title =
    🎁 <b>{ $name }</b> ({ $face })
    Pedido { $order }
delivery-instructions = <b>Como resgatar:</b> { $instructions }
delivery-support = Dúvidas? Escreva para { $support } e informe o pedido { $order }.
delivery-continued = 🎁 Pedido { $order }, continuação:
delivery-document-caption =
    🎁 <b>{ $name }</b> ({ $face }) × { $count }
    Pedido { $order }

    { $count ->
        [1] Seu código e como resgatá-lo estão neste arquivo: não cabem em uma mensagem.
       *[other] Seus { $count } códigos e como resgatá-los estão neste arquivo: não cabem em uma mensagem.
    }

    Dúvidas? Escreva para { $support } e informe o pedido { $order }.
delivery-code-line = Código: <code>{ $code }</code>
delivery-pin-line = PIN: <code>{ $pin }</code>
delivery-serial-line = Número de série: <code>{ $serial }</code>
delivery-topup =
    ✅ <b>{ $name }</b> enviado para <code>{ $recipient }</code>
    Pedido { $order }
    Referência da operadora: <code>{ $reference }</code>

    Dúvidas? Escreva para { $support } e informe o pedido { $order }.

refunded-customer = ↩️ Não conseguimos concluir o pedido { $order }, então seu pagamento de { $amount } foi reembolsado. Ele volta para o seu cartão em 5 a 10 dias. Desculpe pelo transtorno.
review-customer = ⏳ O pedido { $order } está passando por uma verificação rápida da nossa equipe. Você não precisa fazer nada: seu código ou o reembolso chegam aqui.
refunded-customer-stars = ↩️ Não conseguimos concluir o pedido { $order }, então suas { $amount } voltaram para o seu saldo de Telegram Stars. Desculpe pelo transtorno.
refunded-before-delivery = ↩️ O pagamento do pedido { $order } foi reembolsado, então o pedido foi cancelado e nada será entregue. O dinheiro volta para o seu cartão em 5 a 10 dias.
disputed-before-delivery = ⏸ O pedido { $order } está em espera: o pagamento foi contestado junto ao seu banco. Se foi um engano, fale com o nosso suporte.
stars-second-charge-refunded = ↩️ O pedido { $order } foi pago duas vezes. O segundo pagamento de { $amount } voltou para o seu saldo de Telegram Stars.

status-awaiting_payment = aguardando pagamento
status-paid = pago, buscando seu código
status-supplier_pending = pago, a caminho do fornecedor
status-fulfilled = pronto, sendo enviado
status-delivered = entregue
status-delivered-email = entregue por e-mail
status-delivery_failed = pronto (não foi possível enviar: abra aqui)
status-failed = não foi possível concluir, reembolso a caminho
status-refunding = sendo reembolsado
status-refunded = reembolsado
status-needs_review = em verificação pela nossa equipe
status-expired = o link de pagamento expirou
status-cancelled = cancelado

order-view =
    📦 <b>Pedido { $order }</b>
    { $name } × { $quantity }: { $total }
    Status: <b>{ $status }</b>
    Criado em: { $created }
order-not-found = Nenhum pedido { $order } foi encontrado para você.
help =
    Este bot vende gift cards e recargas. Escolha um produto, pague na página do Stripe e o código chega aqui em segundos.

    /start: o catálogo
    /orders: seus pedidos e códigos
    /support: falar com uma pessoa
    /cancel: cancelar o que você está fazendo
    /language: mudar o idioma
help-email = /email: um e-mail para os seus códigos, caso o Telegram não consiga entregá-los
support = Precisa de ajuda? Escreva para { $support }.{ $last }
support-last-order = { " " }Informe seu último pedido: <code>{ $order }</code>.
unknown-command = Não conheço esse comando. /help mostra o que eu sei fazer.
error-generic = Algo deu errado do nosso lado. Nada foi cobrado duas vezes; tente de novo.
recipient-phone = número de telefone
recipient-player_id = ID de jogador
recipient-email = e-mail
orders-title = 📦 Seus pedidos, do mais recente ao mais antigo:
orders-empty = Você ainda não tem pedidos. /start abre o catálogo.
button-open = Abrir
cancelled-nothing-pending = Pronto. /start abre o catálogo.
stale-button = Este botão está desatualizado. Esta é a tela atual.
button-cancel = ✖️ Cancelar
button-confirm = ✅ Confirmar
ask-recipient-phone =
    <b>{ $name }</b>
    Envie o número de telefone para a recarga no formato internacional, com o código do país, por exemplo <code>+5215512345678</code>.
ask-recipient-player_id =
    <b>{ $name }</b>
    Envie o ID de jogador para a recarga. { $hint }
ask-recipient-email =
    <b>{ $name }</b>
    Envie o e-mail da conta para a recarga.
bad-recipient-phone = "{ $value }" não é um número de telefone no formato internacional. Comece com + e o código do país, por exemplo <code>+5215512345678</code>. Tente de novo:
bad-recipient-player_id = "{ $value }" não é um ID de jogador válido para este jogo. { $hint } Tente de novo:
bad-recipient-email = "{ $value }" não é um e-mail. Tente de novo:
confirm-topup =
    Confira seu pedido:
    <b>{ $name }</b>
    { $what }: <code>{ $recipient }</code>
    Quantidade: 1
    Total: <b>{ $total }</b>
checkout-cancelled = Compra cancelada. Nada foi cobrado.
command-start = Catálogo
command-orders = Meus pedidos e códigos
command-help = Como funciona
command-support = Falar com uma pessoa
command-cancel = Cancelar o que estou fazendo
command-language = Mudar o idioma
brand-title = <b>{ $brand }</b>: escolha um valor
from-price = a partir de { $price }
ask-quantity = <b>{ $name }</b>: quantos códigos? (até { $max })
language-choose = Escolha seu idioma:
language-set = Pronto: agora vou falar com você em português.
paid-header = ✅ Pagamento do pedido { $order } recebido.
button-pay-stars = ⭐ Pagar { $stars ->
        [one] { $stars } estrela
       *[other] { $stars } estrelas
    }
stars-invoice-description = Pedido { $order }: { $quantity } ×, entregue neste chat logo após o pagamento.
stars-refused-unknown = Esta fatura não é de nenhum dos seus pedidos.
stars-refused-not-payable = Este pedido já foi pago ou encerrado.
stars-refused-expired = Este pedido expirou. Comece de novo pelo catálogo.
stars-refused-price = O preço mudou. Comece de novo pelo catálogo.
# Um valor que não é dinheiro: "86 diamantes". As formas da unidade vêm do catálogo; o Fluent escolhe a de
# $count pelas regras de plural do português (uma forma que falte é a "other").
face-value-units = { $amount } { $count ->
        [one] { $one }
        [many] { $many }
       *[other] { $other }
    }
order-status-line = 📦 Pedido { $order }: { $status }.
order-paid-confirming = ⏳ Pedido { $order }: estamos confirmando seu pagamento. Seu pedido chega neste chat em instantes.
button-show-code = 🔑 Ver o código de novo
button-order-details = 📦 Detalhes do pedido
# O nome deste idioma nele mesmo, para o seletor de /language.
language-name = 🇧🇷 Português (Brasil)
order-codes-separately = 🎁 Seus códigos não cabem nesta tela. Toque no botão abaixo e eles chegam de novo a este chat.
button-send-codes = 🎁 Enviar meus códigos de novo
checkout-ready-stars =
    🧾 <b>Pedido { $order }</b>
    { $name } × { $quantity }
    Total: <b>{ $total }</b>

    Pague com Telegram Stars: toque em <b>Pagar</b> na fatura abaixo. O pedido fica reservado por 30 minutos, até { $until }.
delivery-expiry-line = Válido até: { $date }

# E-mail, o canal de reserva (/email e o que a loja envia). { $code } em email-confirm-body é o código de 6 dígitos.
command-email = E-mail para os seus códigos (reserva)
email-unavailable = Esta loja não envia e-mails.
email-ask =
    ✉️ Envie o seu endereço de e-mail. Se um dia o Telegram não conseguir entregar um código para você (o bot foi bloqueado, a conversa se perdeu), ele chega por lá.
    Vamos enviar um código de 6 dígitos para confirmá-lo. /cancel para sair.
email-invalid = "{ $value }" não é um endereço de e-mail. Tente de novo, ou /cancel:
email-code-sent = ✉️ Enviamos um código de 6 dígitos para { $email }. Digite-o aqui em até { $minutes } minutos. Não chegou? Veja a pasta de spam ou envie o endereço de novo.
email-code-expected = Digite o código de 6 dígitos do e-mail, envie outro endereço ou /cancel.
email-code-wrong = Esse não é o código que enviamos. { $left ->
        [one] Resta uma tentativa.
       *[other] Restam { $left } tentativas.
    }
email-code-expired = Esse código expirou. Envie o seu endereço de novo para receber um novo.
email-code-too-many-tries = Códigos errados demais. Envie o seu endereço de novo para receber um novo.
email-code-too-soon = Um código foi enviado há menos de um minuto. Veja a sua caixa de entrada ou tente de novo em um minuto.
email-code-too-many = Você pediu muitos códigos hoje. Tente de novo amanhã ou escreva para { $support }.
email-confirmed = ✅ { $email } está confirmado. Se o Telegram não conseguir entregar um código para você, ele chega por lá.
email-current = ✉️ Seu e-mail para os códigos: { $email } (confirmado).
button-email-change = ✏️ Alterar
button-email-remove = 🗑 Remover
email-removed = Pronto: o seu endereço de e-mail foi removido.
email-subject-delivery = Seu { $name } · pedido { $order }
email-subject-receipt = Recibo do pedido { $order }: { $name }
email-subject-notice = { $shop }: sobre o seu pedido { $order }
email-subject-confirm = { $shop }: confirme o seu endereço de e-mail
email-intro-delivery = Não conseguimos entregar o pedido { $order } no Telegram, então aqui está ele por e-mail.
email-intro-receipt = Obrigado pelo pedido { $order } ({ $amount }). Seu código está abaixo; ele também foi enviado para você no Telegram.
email-intro-receipt-topup = Obrigado pelo pedido { $order } ({ $amount }). A confirmação da recarga está abaixo; ela também foi enviada a você no Telegram.
email-intro-resend = Aqui está o pedido { $order } de novo, como combinado com o nosso suporte.
email-confirm-body = O seu código para confirmar este endereço na { $shop } é <code>{ $code }</code>. Digite-o na conversa com o bot em até { $minutes } minutos. Se você não pediu, ignore este e-mail.
email-footer = { $shop }, uma loja no Telegram. Dúvidas? Escreva para { $support }.
# O console do operador: vendas pausadas e códigos promocionais.
sales-paused = ⏸ As vendas estão pausadas por um instante. Voltamos logo — tente de novo daqui a pouco.
button-promo = 🎟 Tem um código promocional?
promo-ask = 🎟 Envie seu código promocional para <b>{ $name }</b>.
promo-accepted = ✅ Código <b>{ $code }</b> aplicado: { $discount } de desconto.
promo-unknown = Este código promocional não existe ou não é mais válido.
promo-expired = Este código promocional expirou.
promo-used-up = Este código promocional já se esgotou.
promo-not-for-product = Este código promocional não vale para este produto.
promo-try-again = Envie outro código ou toque em Cancelar.
checkout-promo = 🎟 Código promocional { $code } (antes { $was })
