# الإيصال المطبوع. لا بيانات شخصية: الخدمة والوقت والرقم المرجعي فقط.
receipt-copy = نسخة
receipt-practice = تدريب
receipt-practice-note = للتدريب فقط: لم يُرسَل هذا إلى البلدية.
receipt-service = الخدمة: { $service }
receipt-date = التاريخ: { $datetime }
# Worded without alef with hamza below (إ), which the printers' Arabic code page (CP864) lacks:
# these lines then print as text, not as a picture.
receipt-scan-status = امسح الرمز بهاتفك لمتابعة طلبك.
receipt-scan-reference = يحتوي الرمز على رقمك المرجعي.
receipt-timescale = { $days ->
    [one] تهدف البلدية للرد على طلبك خلال يوم عمل واحد.
   *[other] تهدف البلدية للرد على طلبك خلال { $days } من أيام العمل.
}
receipt-help-hours = ساعات العمل: { $hours }
receipt-assisted-by = بمساعدة { $name }
receipt-keep = يرجى الاحتفاظ بهذه الورقة.
receipt-test-heading = صفحة اختبار الطابعة
receipt-test-ok = إذا استطعت قراءة هذا ومسح الرمز أدناه، فالطابعة تعمل.
