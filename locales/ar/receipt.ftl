# الإيصال المطبوع. لا بيانات شخصية: الخدمة والوقت والرقم المرجعي فقط.
receipt-heading = تم استلام طلبك
receipt-copy = نسخة
receipt-service = الخدمة: { $service }
receipt-date = التاريخ: { $datetime }
receipt-reference = رقمك المرجعي
receipt-scan-status = امسح الرمز لمتابعة طلبك عبر الإنترنت.
receipt-scan-reference = يحتوي الرمز على رقمك المرجعي.
receipt-next = ماذا بعد: ستنظر البلدية في طلبك وتعالجه. اذكر رقمك المرجعي إذا تواصلت معنا.
receipt-contact = للاستفسار: { $contact }
receipt-assisted-by = بمساعدة { $name }
receipt-keep = يرجى الاحتفاظ بهذا الإيصال.
receipt-test-heading = صفحة اختبار الطابعة
receipt-test-ok = إذا استطعت قراءة هذا ومسح الرمز أدناه، فالطابعة تعمل.
