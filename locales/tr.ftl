# Müşteri metinleri, Türkçe. Değişkenler Telegram HTML'i için önceden kaçışlanmış gelir.

welcome =
    👋 <b>{ $shop }</b> mağazasına hoş geldiniz!
    Hediye kartları, oyun ve mobil hat yüklemeleri; ödemeden saniyeler sonra bu sohbette.
    Bir kategori seçin:
catalog-title = 🛍 Bir kategori seçin:
category-title = <b>{ $category }</b>: bir ürün seçin
catalog-empty = Mağazada şu anda satışta ürün yok. Lütfen daha sonra tekrar gelin.
button-back = ⬅️ Geri
button-next = İleri ➡️
button-prev = ⬅️ Önceki
button-catalog = 🛍 Katalog
button-buy = 🛒 Satın al: { $price }
button-pay = 💳 Öde: { $price }
button-cancel-order = ✖️ Siparişi iptal et
button-my-orders = 📦 Siparişlerim

product-card =
    <b>{ $name }</b>
    Değer: { $face }
    Fiyat: <b>{ $price }</b>
product-topup-note = Yükleme için sizden { $recipient } istenecek.
product-unavailable = Bu ürün artık satışta değil. Mağazada şu anda bunlar var.
price-changed = Bu mesaj gönderildiğinden beri fiyat değişti. Güncel fiyat bu.

checkout-ready =
    🧾 <b>Sipariş { $order }</b>
    { $name } × { $quantity }
    Toplam: <b>{ $total }</b>

    Stripe ile güvenle ödemek için <b>Öde</b>'ye dokunun. Ödeme bağlantısı 30 dakika, { $until } saatine kadar geçerli.
checkout-reused = Bu sipariş zaten açık; ödeme bağlantısı yeniden burada.
checkout-too-many-unpaid = Ödenmemiş { $count } açık siparişiniz var. Yenisine başlamadan önce { $count ->
        [one] onu
       *[other] birini
    } ödeyin veya iptal edin (/orders).
checkout-rate-limited = Son bir saatte çok sayıda sipariş verdiniz. Lütfen daha sonra tekrar deneyin veya { $support } adresine yazın.
checkout-provider-down = Ödemeler şu anda kullanılamıyor. Hiçbir ücret alınmadı. Lütfen birkaç dakika sonra tekrar deneyin.
checkout-not-allowed = Üzgünüz, bu siparişi alamıyoruz. Bunun bir hata olduğunu düşünüyorsanız { $support } adresine yazın.
checkout-bad-quantity = Bu ürün için bu miktar mevcut değil.
checkout-bad-recipient = Bu { $recipient } doğru görünmüyor.

order-cancelled = { $order } numaralı sipariş iptal edildi. Hiçbir ücret alınmadı.
order-cannot-cancel = { $order } numaralı sipariş artık iptal edilemez: { $status }.

paid-received = ✅ { $order } numaralı siparişin ödemesi alındı. Kodunuz hazırlanıyor…
paid-topup-received = ✅ { $order } numaralı siparişin ödemesi alındı. Yüklemeniz gönderiliyor…
supplier-slow = ⏳ Ödeme alındı. { $order } numaralı siparişiniz yolda: tedarikçi her zamankinden uzun sürüyor. Hazır olur olmaz burada alacaksınız.

delivery-code-title =
    🎁 <b>{ $name }</b> ({ $face })
    Sipariş { $order }
delivery-instructions = <b>Nasıl kullanılır:</b> { $instructions }
delivery-support = Sorunuz mu var? { $support } adresine yazın ve { $order } sipariş numarasını belirtin.
delivery-continued = 🎁 Sipariş { $order }, devamı:
delivery-document-caption =
    🎁 <b>{ $name }</b> ({ $face }) × { $count }
    Sipariş { $order }

    { $count ->
        [1] Kodunuz ve nasıl kullanılacağı bu dosyada: tek bir mesaja sığmıyorlar.
       *[other] { $count } kodunuz ve nasıl kullanılacakları bu dosyada: tek bir mesaja sığmıyorlar.
    }

    Sorunuz mu var? { $support } adresine yazın ve { $order } sipariş numarasını belirtin.
delivery-code-line = Kod: <code>{ $code }</code>
delivery-pin-line = PIN: <code>{ $pin }</code>
delivery-serial-line = Seri no: <code>{ $serial }</code>
delivery-topup =
    ✅ <b>{ $name }</b> gönderildi: <code>{ $recipient }</code>
    Sipariş { $order }
    Operatör referansı: <code>{ $reference }</code>

    Sorunuz mu var? { $support } adresine yazın ve { $order } sipariş numarasını belirtin.

refunded-customer = ↩️ { $order } numaralı siparişi tamamlayamadık, bu yüzden { $amount } tutarındaki ödemeniz iade edildi. 5–10 gün içinde kartınıza ulaşır. Özür dileriz.
review-customer = ⏳ { $order } numaralı sipariş ekibimiz tarafından kısa bir kontrolden geçiyor. Bir şey yapmanıza gerek yok: kodunuz veya iadeniz buraya gelecek.
refunded-customer-stars = ↩️ { $order } numaralı siparişi tamamlayamadık, bu yüzden { $amount } Telegram Stars bakiyenize iade edildi. Özür dileriz.
refunded-before-delivery = ↩️ { $order } numaralı siparişin ödemesi iade edildi; sipariş iptal edildi ve hiçbir şey teslim edilmeyecek. Para 5–10 gün içinde kartınıza ulaşır.
disputed-before-delivery = ⏸ { $order } numaralı sipariş beklemede: ödemesine bankanız üzerinden itiraz edildi. Bu bir hataysa destek ekibimize yazın.
stars-second-charge-refunded = ↩️ { $order } numaralı sipariş iki kez ödendi. { $amount } tutarındaki ikinci ödeme Telegram Stars bakiyenize iade edildi.

status-awaiting_payment = ödeme bekleniyor
status-paid = ödendi, kodunuz hazırlanıyor
status-supplier_pending = ödendi, tedarikçiden yolda
status-fulfilled = hazır, gönderiliyor
status-delivered = teslim edildi
status-delivered-email = e-postayla teslim edildi
status-delivery_failed = hazır (gönderilemedi: buradan açın)
status-failed = tamamlanamadı, iade yolda
status-refunding = iade ediliyor
status-refunded = iade edildi
status-needs_review = ekibimiz tarafından kontrol ediliyor
status-expired = ödeme bağlantısının süresi doldu
status-cancelled = iptal edildi

order-view =
    📦 <b>Sipariş { $order }</b>
    { $name } × { $quantity }: { $total }
    Durum: <b>{ $status }</b>
    Oluşturulma: { $created }
order-not-found = Size ait { $order } numaralı bir sipariş bulunamadı.
help =
    Bu bot hediye kartları ve yüklemeler satar. Bir ürün seçin, Stripe sayfasında ödeyin; kod saniyeler içinde buraya gelir.

    /start: katalog
    /orders: siparişleriniz ve kodlarınız
    /support: bir insanla konuşun
    /cancel: yaptığınız işlemi iptal edin
    /language: dili değiştirin
help-email = /email: Telegram kodlarınızı teslim edemezse diye kodlarınız için bir e-posta adresi
support = Yardım mı lazım? { $support } adresine yazın.{ $last }
support-last-order = { " " }Lütfen son siparişinizi belirtin: <code>{ $order }</code>.
unknown-command = Bu komutu bilmiyorum. /help neler yapabildiğimi gösterir.
error-generic = Bizim tarafımızda bir şeyler ters gitti. İki kez ücret alınmadı; lütfen tekrar deneyin.
recipient-phone = telefon numarası
recipient-player_id = oyuncu kimliği
recipient-email = e-posta adresi
orders-title = 📦 Siparişleriniz, en yeniden eskiye:
orders-empty = Henüz siparişiniz yok. /start kataloğu açar.
button-open = Aç
cancelled-nothing-pending = Tamam. /start kataloğu açar.
stale-button = Bu düğme güncel değil. Güncel görünüm bu.
button-cancel = ✖️ İptal
button-confirm = ✅ Onayla
ask-recipient-phone =
    <b>{ $name }</b>
    Yüklenecek telefon numarasını ülke koduyla uluslararası biçimde gönderin, ör. <code>+5215512345678</code>.
ask-recipient-player_id =
    <b>{ $name }</b>
    Yüklenecek oyuncu kimliğini gönderin. { $hint }
ask-recipient-email =
    <b>{ $name }</b>
    Yüklenecek hesabın e-posta adresini gönderin.
bad-recipient-phone = "{ $value }" uluslararası biçimde bir telefon numarası değil. + ve ülke koduyla başlayın, ör. <code>+5215512345678</code>. Tekrar deneyin:
bad-recipient-player_id = "{ $value }" bu oyun için geçerli bir oyuncu kimliği değil. { $hint } Tekrar deneyin:
bad-recipient-email = "{ $value }" bir e-posta adresi değil. Tekrar deneyin:
confirm-topup =
    Lütfen siparişinizi kontrol edin:
    <b>{ $name }</b>
    { $what }: <code>{ $recipient }</code>
    Miktar: 1
    Toplam: <b>{ $total }</b>
checkout-cancelled = Satın alma iptal edildi. Hiçbir ücret alınmadı.
command-start = Katalog
command-orders = Siparişlerim ve kodlarım
command-help = Nasıl çalışır
command-support = Bir insanla konuş
command-cancel = Yaptığım işlemi iptal et
command-language = Dili değiştir
brand-title = <b>{ $brand }</b>: bir tutar seçin
from-price = { $price } ve üzeri
ask-quantity = <b>{ $name }</b>: kaç kod? (en fazla { $max })
language-choose = Dilinizi seçin:
language-set = Tamam: artık sizinle Türkçe konuşacağım.
paid-header = ✅ { $order } numaralı siparişin ödemesi alındı.
button-pay-stars = ⭐ { $stars } Yıldız ile öde
stars-invoice-description = Sipariş { $order }: { $quantity } ×, ödemeden hemen sonra bu sohbete teslim edilir.
stars-refused-unknown = Bu fatura siparişlerinizden birine ait değil.
stars-refused-not-payable = Bu sipariş zaten ödendi veya kapandı.
stars-refused-expired = Bu siparişin süresi doldu. Lütfen katalogdan yeniden başlayın.
stars-refused-price = Fiyat değişti. Lütfen katalogdan yeniden başlayın.
# Para olmayan bir değer: "86 Elmas". Birimin biçimleri katalogdan gelir; Fluent $count için Türkçenin çoğul
# kurallarına göre seçer (Türkçede sayıdan sonra isim tekildir; eksik biçim "other" olur).
face-value-units = { $amount } { $count ->
        [one] { $one }
       *[other] { $other }
    }
order-status-line = 📦 Sipariş { $order }: { $status }.
order-paid-confirming = ⏳ Sipariş { $order }: ödemenizi onaylıyoruz. Siparişiniz birazdan bu sohbete gelecek.
button-show-code = 🔑 Kodu yeniden göster
button-order-details = 📦 Sipariş ayrıntıları
# Bu dilin kendi dilindeki adı, /language seçicisi için.
language-name = 🇹🇷 Türkçe
order-codes-separately = 🎁 Kodlarınız bu ekrana sığmıyor. Aşağıdaki düğmeye dokunun, yeniden bu sohbete gelsinler.
button-send-codes = 🎁 Kodlarımı yeniden gönder
checkout-ready-stars =
    🧾 <b>Sipariş { $order }</b>
    { $name } × { $quantity }
    Toplam: <b>{ $total }</b>

    Telegram Stars ile ödeyin: aşağıdaki faturada <b>Öde</b>'ye dokunun. Sipariş 30 dakika, { $until } saatine kadar sizin için ayrılır.
delivery-expiry-line = Son kullanma tarihi: { $date }

# E-posta, yedek kanal (/email ve mağazanın gönderdikleri). email-confirm-body içindeki { $code } 6 haneli koddur.
command-email = Kodlarınız için e-posta (yedek)
email-unavailable = Bu mağaza e-posta göndermiyor.
email-ask =
    ✉️ E-posta adresinizi gönderin. Telegram size bir kodu teslim edemezse (bot engellendi, sohbet kayboldu) kod oraya gider.
    Adresi doğrulamak için 6 haneli bir kod göndereceğiz. Vazgeçmek için /cancel.
email-invalid = "{ $value }" bir e-posta adresi değil. Tekrar deneyin veya /cancel:
email-code-sent = ✉️ { $email } adresine 6 haneli bir kod gönderdik. { $minutes } dakika içinde buraya yazın. Gelmedi mi? Spam klasörüne bakın veya adresi tekrar gönderin.
email-code-expected = E-postadaki 6 haneli kodu yazın, başka bir adres gönderin veya /cancel.
email-code-wrong = Bu, gönderdiğimiz kod değil. { $left ->
        [one] Bir deneme hakkınız kaldı.
       *[other] { $left } deneme hakkınız kaldı.
    }
email-code-expired = Bu kodun süresi doldu. Yeni bir kod için adresinizi tekrar gönderin.
email-code-too-many-tries = Çok fazla yanlış kod. Yeni bir kod için adresinizi tekrar gönderin.
email-code-too-soon = Bir dakikadan kısa süre önce bir kod gönderildi. Gelen kutunuza bakın veya bir dakika sonra tekrar deneyin.
email-code-too-many = Bugün çok sayıda kod istediniz. Lütfen yarın tekrar deneyin veya { $support } adresine yazın.
email-confirmed = ✅ { $email } doğrulandı. Telegram size bir kodu teslim edemezse kod oraya gider.
email-current = ✉️ Kodlarınız için e-postanız: { $email } (doğrulandı).
button-email-change = ✏️ Değiştir
button-email-remove = 🗑 Kaldır
email-removed = Tamam: e-posta adresiniz kaldırıldı.
email-subject-delivery = { $name } · sipariş { $order }
email-subject-receipt = { $order } siparişinin makbuzu: { $name }
email-subject-notice = { $shop }: { $order } siparişiniz hakkında
email-subject-confirm = { $shop }: e-posta adresinizi doğrulayın
email-intro-delivery = { $order } siparişini Telegram'da teslim edemedik, bu yüzden e-postayla gönderiyoruz.
email-intro-receipt = { $order } siparişiniz ({ $amount }) için teşekkürler. Kodunuz aşağıda; Telegram'da da size gönderildi.
email-intro-receipt-topup = { $order } siparişiniz ({ $amount }) için teşekkürler. Yüklemenin onayı aşağıda; size Telegram'da da gönderildi.
email-intro-resend = Destek ekibimizle konuşulduğu gibi { $order } siparişi tekrar burada.
email-confirm-body = { $shop } için bu adresi doğrulama kodunuz <code>{ $code }</code>. { $minutes } dakika içinde botla sohbete yazın. Bu kodu siz istemediyseniz bu e-postayı yok sayın.
email-footer = { $shop }, Telegram'da bir mağaza. Sorunuz mu var? { $support } adresine yazın.
# Operatör konsolu: duraklatılan satışlar ve promosyon kodları.
sales-paused = ⏸ Satışlara kısa bir süre ara verildi. Yakında geri döneceğiz — lütfen biraz sonra tekrar deneyin.
button-promo = 🎟 Promosyon kodunuz var mı?
promo-ask = 🎟 <b>{ $name }</b> için promosyon kodunuzu gönderin.
promo-accepted = ✅ <b>{ $code }</b> kodu uygulandı: { $discount } indirim.
promo-unknown = Bu promosyon kodu yok ya da artık geçerli değil.
promo-expired = Bu promosyon kodunun süresi doldu.
promo-used-up = Bu promosyon kodunun kullanım hakkı bitti.
promo-not-for-product = Bu promosyon kodu bu ürün için geçerli değil.
promo-try-again = Başka bir kod gönderin ya da İptal'e dokunun.
checkout-promo = 🎟 Promosyon kodu { $code } (önceki fiyat { $was })
