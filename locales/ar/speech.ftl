# وضع النطق (src/flow/speech.rs): ما يقوله الكشك بصوت عالٍ.
speech-welcome-hint = للحصول على تعليمات منطوقة، اضغط مطولًا على أي مكان في الشاشة لمدة ثانيتين، أو اضغط F1.
speech-how-to = النطق مفعّل. لسماع العنصر التالي، اضغط Tab أو المس الثلث السفلي من الشاشة. للعنصر السابق، اضغط Shift و Tab، أو المس الثلث العلوي. للاختيار، اضغط Enter، أو المس وسط الشاشة. اضغط R للتكرار، و Escape لإيقاف الكلام، وزائد أو ناقص لمستوى الصوت. اضغط مطولًا على الشاشة، أو اضغط F1، لإيقاف النطق.
speech-started = النطق مفعّل.
speech-stopped = النطق متوقف.
speech-volume = مستوى الصوت { $level } من { $max }
speech-button = { $label }، زر
speech-key = { $label }، مفتاح
speech-hidden = مخفي
speech-empty = لا شيء بعد
speech-dash = شرطة
speech-error = خطأ: { $message }
speech-date = التاريخ المختار: { $date }
speech-chosen = تم اختيار: { $choices }
speech-choices-count = { $count ->
    [one] خيار واحد.
    [two] خياران.
    [few] { $count } خيارات.
   *[other] { $count } خيارًا.
}
speech-search-query = البحث عن: { $query }
speech-tile = { $label }. زر، { $position } من { $count }
speech-selected = { $label }، محدد، { $position } من { $count }
speech-not-selected = { $label }، غير محدد، { $position } من { $count }
speech-on-state = { $label }، زر، مفعّل
speech-off-state = { $label }، زر، غير مفعّل
speech-date-part = { $action }: { $part }، الآن { $value }، زر
speech-check-row = { $question }: { $answer }
speech-change = تغيير: { $question }، زر
speech-reference = رقمك المرجعي هو: { $reference }.
speech-receipt-says = يقول إيصالك:

speech-pin-entered = { $count ->
    [0] لم يُكتب أي رقم.
    [one] أُدخل رقم. رقم واحد.
   *[other] أُدخل رقم. { $count } أرقام.
}
speech-pin-digit = مفتاح رقم { $position } من { $count }
speech-attention = يحتاج إلى انتباه: { $line }
