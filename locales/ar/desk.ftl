# شاشات الموظفين (الرقم السري، مكتب الموظف، وضع المساعدة والتدريب) و«متابعة طلب».

## متابعة طلب (السكان)
lookup-open = متابعة طلب
lookup-title = متابعة طلب
lookup-hint = اكتب الرقم المرجعي الموجود في إيصالك، أو ضع رمز الإيصال أمام الماسح.
lookup-field = الرقم المرجعي
lookup-delete = حذف
lookup-check = تحقّق
lookup-checking = جارٍ التحقق…
lookup-mistyped = هذا الرقم المرجعي غير صحيح. راجع كل حرف ورقم في إيصالك.
lookup-unknown = لا يوجد في هذا الجهاز طلب بهذا الرقم المرجعي. يُرجى السؤال في مكتب الاستقبال.
lookup-reference = الطلب { $reference }
lookup-pending = محفوظ في هذا الجهاز. سيُرسل إلى البلدية قريبًا.
lookup-accepted = طلبك لدى البلدية.
lookup-in-progress = البلدية تعمل على طلبك.
lookup-closed = أغلقت البلدية طلبك.
lookup-review = أحد الموظفين يراجع طلبك.
lookup-rejected = لم تتمكن البلدية من قبول طلبك. يُرجى السؤال في مكتب الاستقبال.
lookup-cancelled = أُلغي هذا الطلب.
lookup-when = آخر خبر من البلدية: { $when }

## وضع المساعدة والتدريب
assisted-by = بمساعدة { $name }
confirm-practice = هذا تدريب: لا يُرسل إلى البلدية، ويُمسح عندما يقفل الموظف الجهاز.
practice-banner = تدريب: لا يُرسل أي شيء
consent-title = قبل الإرسال
consent-body = ساعدك { $name }، أحد الموظفين، في ملء هذا الطلب. عندما تلمس «إرسال» يذهب الطلب إلى { $council } باسمك.
consent-what = هذا ما سيُرسل:
consent-send = أرسل طلبي

## الرقم السري
staff-pin-title = الرقم السري للموظف
staff-pin-hint = اكتب رقمك السري ({ $min } أرقام أو أكثر)، ثم موافق.
staff-pin-ok = موافق
staff-pin-delete = حذف
staff-pin-checking = جارٍ التحقق…
staff-pin-wrong = رقم سري خاطئ. المحاولات المتبقية: { $left }.
staff-pin-locked = أرقام سرية خاطئة كثيرة، حاول مرة أخرى بعد { $minutes ->
        [one] دقيقة واحدة
        [two] دقيقتين
        [few] { $minutes } دقائق
       *[other] { $minutes } دقيقة
    }.
staff-pin-unavailable = تعذّرت قراءة حسابات الموظفين. أبلغ الفني.

## مكتب الموظف
staff-signed-in = مسجّل الدخول: { $name }
staff-lookup-label = الرقم المرجعي أو إيصال ممسوح
staff-lookup = بحث
staff-lookup-result = النتيجة
staff-checking = جارٍ البحث…
staff-not-found = لا يوجد طلب بهذا الرقم المرجعي في هذا الجهاز
staff-reference = الرقم المرجعي
staff-service = الخدمة
staff-local-status = في الجهاز
staff-remote-status = لدى البلدية
staff-remote-none = لا أخبار بعد
staff-remote-open = مفتوح
staff-remote-closed = مغلق
staff-remote-id = رقم البلدية
staff-reason = السبب
staff-assisted-by = بمساعدة
staff-reprint = إعادة طباعة الإيصال
staff-health-title = الجهاز
staff-health-online = الاتصال بالبلدية
staff-health-portal = صفحة تسجيل دخول الشبكة
staff-health-last-sync = آخر إرسال
staff-health-queue = الطلبات
staff-health-counts = { $pending } بالانتظار، { $review } للمراجعة، { $rejected } مرفوضة
staff-health-paper = الورق
staff-health-cover = غطاء الطابعة
staff-paper-ok = جيد
staff-paper-low = يوشك على النفاد
staff-paper-out = نفد
staff-cover-open = مفتوح
staff-cover-closed = مغلق
staff-yes = نعم
staff-no = لا
staff-never = أبدًا
staff-unknown = غير معروف
staff-send-now = أرسل الآن
staff-open-lists = للمراجعة: { $count }
staff-help-count = طلبات المساعدة: { $count }
staff-help-visitor = مساعدة زائر
staff-practice = وضع التدريب
staff-lock = قفل
timeout-staff-body = { $seconds ->
    [zero] سيُقفل مكتب الموظف الآن.
    [one] سيُقفل مكتب الموظف بعد ثانية واحدة.
    [two] سيُقفل مكتب الموظف بعد ثانيتين.
    [few] سيُقفل مكتب الموظف بعد { $seconds } ثوانٍ.
    [many] سيُقفل مكتب الموظف بعد { $seconds } ثانية.
   *[other] سيُقفل مكتب الموظف بعد { $seconds } ثانية.
}
timeout-lock = قفل الآن
timeout-pin-body = { $seconds ->
    [zero] ستُغلق لوحة الرقم السري الآن.
    [one] ستُغلق لوحة الرقم السري بعد ثانية واحدة.
    [two] ستُغلق لوحة الرقم السري بعد ثانيتين.
    [few] ستُغلق لوحة الرقم السري بعد { $seconds } ثوانٍ.
    [many] ستُغلق لوحة الرقم السري بعد { $seconds } ثانية.
   *[other] ستُغلق لوحة الرقم السري بعد { $seconds } ثانية.
}
timeout-close = إغلاق الآن
staff-end-visit = إنهاء
tool-end-visit = إنهاء: العودة إلى المكتب
staff-state-pending = بانتظار الإرسال
staff-state-sending = أُرسل، والرد غير معروف بعد
staff-state-review = للمراجعة
staff-state-accepted = لدى البلدية
staff-state-rejected = رفضته البلدية
staff-state-cancelled = ملغى
staff-state-practice = تدريب (لا يُرسل أبدًا)
staff-done-reprint = أُرسل الإيصال إلى الطابعة.
staff-done-send-now = جارٍ الإرسال.
staff-done-resolved = سيُرسل مرة أخرى.
staff-done-refiled = أُعيد تصنيفه: سيُرسل تحت الخدمة الجديدة.
staff-done-refile-needs-answers = لم يُعد تصنيفه: تلك الخدمة تطرح أسئلة لم يُجب عنها هذا الطلب. يمكن للفني إعادة تصنيفه مع الإجابات (queue refile).
staff-done-cancelled = أُلغي الطلب ومُسحت بياناته.
staff-done-help = أُنجز طلب المساعدة.
staff-done-failed = لم ينجح ذلك. سجل الفني يذكر السبب.

## القوائم
staff-help-title = طلبات المساعدة
staff-help-none = لا أحد ينتظر المساعدة.
staff-help-asked = طُلبت في { $when }
staff-help-done = تم
staff-lists-title = للمراجعة والمرفوضة
staff-lists-none = لا شيء للمراجعة.
staff-item-detail = { $reason } (حُفظ في { $when })
staff-reason-undecided = لا يعرف الكشك هل استلمه المجلس
staff-reason-unverified = طلب على خادم المجلس يحمل هذا الرقم المرجعي دون رمز التحقق الخاص بهذا الكشك
staff-reason-review = إرساله يحتاج إلى قرار
staff-reason-refused = رفضه خادم المجلس
staff-reason-not-sent = تعذّر على الكشك إرساله
staff-item-technical = تفاصيل تقنية: { $detail }
staff-resolve = أرسل مرة أخرى
staff-refile = إعادة تصنيف
staff-cancel = إلغاء الطلب
staff-cancel-title = إلغاء هذا الطلب؟
staff-cancel-body = لن يُرسل أبدًا، وستُمسح بيانات الزائر. يبقى الرقم المرجعي في السجل.
staff-cancel-keep = لا، أبقِه
staff-cancel-yes = نعم، ألغِه
staff-refile-title = إعادة تصنيف
staff-refile-hint = اختر الخدمة التي يُرسل تحتها.

staff-no-council = لم تُضبط أي بلدية (عرض تجريبي)
staff-health-printer = الطابعة
staff-no-printer = لم تُضبط أي طابعة
confirm-practice-title = تدريب فقط: لم يُرسل شيء
staff-resolve-sent = وصل إلى البلدية
staff-sent-title = وصل إلى البلدية:
staff-sent-hint = اكتب الرقم الذي أعطته البلدية لهذا الطلب في نظامها، ثم احفظ.
staff-sent-field = رقم البلدية
staff-sent-save = احفظ
staff-sent-missing = اكتب رقم البلدية أولًا (حروف وأرقام).
staff-done-resolved-sent = حُفظ: الطلب لدى البلدية بهذا الرقم.

refile-banner = إعادة تصنيف { $reference }: أسئلة الخدمة الجديدة
refile-banner-short = نقل { $reference }
