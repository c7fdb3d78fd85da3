# The resident's touchscreen. Keep sentences short and plain: many readers are elderly or
# reading in a second language.

## Welcome and language
welcome-touch = المس الشاشة للبدء
language-title = اختر لغتك

## Always-present controls
tool-back = رجوع
tool-start-over = البدء من جديد
tool-language = اللغة
tool-text-size = حجم النص
tool-contrast = تباين عالٍ
tool-display = النص والتباين
tool-menu = القائمة
tool-help = طلب المساعدة
help-calling = جارٍ استدعاء أحد الموظفين…
help-told = تم إبلاغ الموظفين: سيأتي أحدهم لمساعدتك.
help-ask-desk = لم نتمكن من إبلاغ الموظفين من هنا. يُرجى السؤال في مكتب الاستقبال.

## Services
groups-title = بماذا يتعلق طلبك؟
services-other = خدمات أخرى

## Questions
question-step = السؤال { $current } من { $total }
question-step-up-to = السؤال { $current } من { $total } على الأكثر
contact-step = بيانات الاتصال بك: { $current } من { $total }
continue = متابعة
keys-open = اكتب إجابتك
optional = اختياري
choose-one = اختر إجابة واحدة
choose-all = اختر كل الإجابات المناسبة
info-title = يرجى قراءة ما يلي
info-title-urgent = معلومات مهمة لسلامتك
description-title = أخبرنا بمزيد من التفاصيل
description-hint = اختياري. أي معلومة تساعد البلدية.
address-title = أين المكان؟
address-hint = مثلًا اسم الشارع ورقم المنزل، أو مكان قريب.
contact-choice-title = هل تريد أن تتواصل معك البلدية بخصوص هذا الطلب؟
contact-yes = نعم
contact-no = لا، شكرًا
first-name-title = ما اسمك الأول؟
last-name-title = ما اسم عائلتك؟
email-title = ما عنوان بريدك الإلكتروني؟
phone-title = ما رقم هاتفك؟
error-choose-yes-no = اختر نعم أو لا.

## Date picker
date-today = اليوم
date-yesterday = أمس
date-later = لاحقًا
date-earlier = أبكر
date-not-chosen = لم تختر تاريخًا بعد
date-day = يوم
date-month = شهر
date-year = سنة
date-hour = ساعة
date-minute = دقيقة
date-format = { $day } { $month } { $year }، الساعة { $time }
date-only-format = { $day } { $month } { $year }
month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر

## Keyboard (names read out by screen readers)
keyboard-space = مسافة
keyboard-backspace = حذف
keyboard-shift = حرف كبير
keyboard-symbols = رموز
keyboard-letters = حروف
keyboard-latin = حروف لاتينية
keyboard-newline = سطر جديد
keyboard-more-letters = حروف أخرى
# One word of the name above, shown on the key where the whole name does not fit it on one
keyboard-shift-short = كبير
keyboard-latin-short = لاتينية
keyboard-newline-short = سطر
keyboard-more-letters-short = أخرى

## Check your answers
check-title = راجع إجاباتك قبل الإرسال
check-change = تغيير
check-not-answered = بدون إجابة
check-submit = إرسال الطلب
check-service = الخدمة
check-contact = بيانات الاتصال
check-contact-none = لا تريد أن تتواصل معك البلدية
error-summary-title = توجد مشكلة

## Saving and confirmation
submitting = جارٍ حفظ طلبك…
confirm-title = تم حفظ الطلب
confirm-reference = الرقم المرجعي لطلبك
confirm-qr = رمز QR يحتوي على الرقم المرجعي لطلبك
confirm-printing = تتم الآن طباعة الإيصال. يرجى أخذه معك.
confirm-printed = تمت طباعة الإيصال. يرجى أخذه معك.
confirm-print-failed = تعذّرت طباعة الإيصال. يرجى كتابة الرقم المرجعي لطلبك. يمكن لأحد الموظفين طباعة الإيصال مرة أخرى.
confirm-no-printer = يرجى كتابة الرقم المرجعي لطلبك.
confirm-offline = تم حفظ طلبك على هذا الجهاز. سيُرسَل إلى البلدية تلقائيًا.
confirm-online = تم حفظ طلبك. سيُرسَل إلى البلدية خلال الدقائق القادمة.
# confirm-next and confirm-contact are printed on the receipt too: worded without alef with hamza
# below (إ), which the printers' Arabic code page lacks, so they print as text.
confirm-next-title = ماذا يحدث بعد ذلك
confirm-next = ستنظر البلدية في طلبك. احتفظ بالرقم المرجعي، فستحتاجه عند السؤال عن طلبك.
confirm-contact = لديك سؤال؟ اتصل بالرقم { $contact }.
confirm-finish = إنهاء
save-failed-title = لم يتم حفظ طلبك
save-failed-retry = حاول مرة أخرى

## Idle warning
timeout-title = هل تحتاج إلى مزيد من الوقت؟
timeout-body = { $seconds ->
    [zero] حفاظًا على خصوصيتك، ستُحذف إجاباتك الآن.
    [one] حفاظًا على خصوصيتك، ستُحذف إجاباتك بعد ثانية واحدة.
    [two] حفاظًا على خصوصيتك، ستُحذف إجاباتك بعد ثانيتين.
    [few] حفاظًا على خصوصيتك، ستُحذف إجاباتك بعد { $seconds } ثوانٍ.
    [many] حفاظًا على خصوصيتك، ستُحذف إجاباتك بعد { $seconds } ثانية.
   *[other] حفاظًا على خصوصيتك، ستُحذف إجاباتك بعد { $seconds } ثانية.
}
timeout-more = أحتاج إلى مزيد من الوقت
timeout-finish = البدء من جديد

## Scrolling

more-below = المزيد في الأسفل

## Deleting answers, QR caption, welcome

confirm-start-over-title = البدء من جديد؟
confirm-start-over-body = ستُحذف إجاباتك عن هذا الطلب. تبقى لغتك وحجم النص كما هما.
confirm-delete-title = حذف إجاباتك؟
confirm-delete-body = لم يُحفظ طلبك. إذا حذفت إجاباتك فلن يُحفظ أي شيء على هذا الجهاز.
confirm-keep = لا، احتفظ بإجاباتي
confirm-delete = نعم، احذف إجاباتي
save-failed-delete = احذف إجاباتي
confirm-qr-caption = التقط صورة لهذا الرمز لتحتفظ برقمك المرجعي
welcome-purpose = أبلغ عن مشكلة أو اطلب خدمة من البلدية. يستغرق ذلك نحو 5 دقائق، وتحصل على إيصال مطبوع.
welcome-purpose-no-printer = أبلغ عن مشكلة أو اطلب خدمة من البلدية. يستغرق ذلك نحو 5 دقائق، وتحصل على رقم مرجعي تحتفظ به.

# قوائم طويلة من الخدمات (كتالوجات بلديات حقيقية)
not-listed = مشكلتي غير موجودة في القائمة
not-listed-catch-all = الإبلاغ عنها باسم «{ $service }»
not-listed-desk-hint = ماذا تفعل إذا لم تكن مشكلتك هنا
not-listed-ask-desk = يرجى السؤال في مكتب الاستقبال: يمكن للموظفين الإبلاغ عنها نيابة عنك. يمكنك أيضًا لمس «طلب المساعدة» في أعلى الشاشة.
search-open = بحث
search-close = عرض الكل
search-label = البحث عن خدمة
search-placeholder = اكتب كلمة، مثلًا «نفايات»
search-done = عرض النتائج
search-nothing-found = لا توجد خدمة تطابق هذه الكلمات. جرّب كلمة أخرى، أو اختر «مشكلتي غير موجودة في القائمة».
typed-so-far = ما كتبته حتى الآن

## Privacy notice (before contact details) and the free-text warning

privacy-notice = تتلقى { $council } اسمك وبيانات الاتصال بك مع هذا الطلب، فقط للتواصل معك بشأنه. يحتفظ هذا الجهاز بها حتى تتلقى البلدية طلبك، ثم لمدة { $days } يوم على الأكثر.
privacy-ask = إذا كان لديك سؤال عن بياناتك، فاسأل { $contact }.
privacy-the-council = البلدية
no-personal-details = يرجى عدم كتابة الأسماء أو أرقام الهواتف أو أي بيانات شخصية أخرى هنا.
date-unsure = لست متأكدًا
