# الحساب الآمن لطالبي اللجوء (Espace usager)، بلغة عربية بسيطة. جمل قصيرة، بدون مصطلحات صعبة.
portal-name = حسابي الخاص باللجوء
office-name = مكتب حماية اللاجئين وعديمي الجنسية
skip-to-content = الانتقال إلى المحتوى
language-menu = اللغة
security-link = الأمان
sign-out = تسجيل الخروج
footer-privacy = ملفك سري. لا يقرؤه إلا موظفو المكتب الذين يعالجونه. يتم تسجيل كل اطلاع على الملف.
back-home = العودة إلى حسابي
back-sign-in = العودة إلى تسجيل الدخول

sign-in-title = الدخول إلى حسابي
sign-in-intro = هنا يمكنك متابعة طلب اللجوء الخاص بك وقراءة الرسائل التي يرسلها إليك المكتب.
field-case-number = رقم الملف
hint-case-number = تجده على إيصال التسجيل، مثلًا 2026-0001234.
field-password = كلمة المرور
sign-in-button = تسجيل الدخول
first-time-title = هل هذه أول مرة تدخل هنا؟
first-time-text = استعمل رمز التفعيل المطبوع على إيصال التسجيل لإنشاء كلمة المرور الخاصة بك.
activate-link = تفعيل حسابي
forgotten-title = هل نسيت كلمة المرور؟
forgotten-text = اذهب إلى قسم الاستقبال في المكتب ومعك إيصال التسجيل أو وثيقة هويتك. ستحصل على رمز تفعيل جديد. لن يطلب منك أي شخص من المكتب كلمة المرور أبدًا.

activate-title = تفعيل حسابي
activate-intro = اكتب رقم ملفك ورمز التفعيل الموجود على إيصال التسجيل، ثم اختر كلمة مرور. الرمز يعمل مرة واحدة فقط.
field-code = رمز التفعيل
hint-code = 16 حرفًا ورقمًا، مثلًا ABCD-EFGH-JKLM-NPQR.
field-new-password = اختر كلمة مرور
hint-password = { $count ->
    [one] { $count } حرف على الأقل. يمكنك استعمال جملة، فالجملة سهلة التذكر.
    [few] { $count } أحرف على الأقل. يمكنك استعمال جملة، فالجملة سهلة التذكر.
    [many] { $count } حرفًا على الأقل. يمكنك استعمال جملة، فالجملة سهلة التذكر.
   *[other] { $count } حرف على الأقل. يمكنك استعمال جملة، فالجملة سهلة التذكر.
}
field-confirm = اكتب كلمة المرور مرة أخرى
activate-button = تفعيل

verify-title = أكّد أنك صاحب الحساب
verify-intro = افتح تطبيق المصادقة على هاتفك، واكتب الرمز المكوّن من 6 أرقام الذي يظهر تحت اسم Nansen.
field-totp = الرمز المكوّن من 6 أرقام
verify-button = تأكيد

home-title = طلب اللجوء الخاص بي
home-case = رقم الملف:
next-dates = تواريخ مهمة
documents-title = مستنداتي
documents-intro = الرسائل والقرارات التي أرسلها إليك المكتب. افتح كل واحد منها: التاريخ الذي تفتح فيه القرار لأول مرة مهم لحقوقك.
documents-none = ليس لديك أي مستند حتى الآن.
document-available = متوفر منذ { $date }.
document-opened = فُتح لأول مرة في { $date }.
document-new = جديد — لم يُفتح بعد
messages-title = الكتابة إلى المكتب
messages-intro = أخبرنا بتغيير عنوانك أو أرسل مستندًا (مثلًا شهادة طبية). سيرى الموظف المسؤول عن ملفك رسالتك.
field-message = رسالتك
hint-message = بأي لغة. 5000 حرف كحد أقصى.
field-files = { $count ->
    [one] مستند (الحد الأقصى: { $count })
   *[other] مستندات (الحد الأقصى: { $count })
}
field-kind = ما نوع هذا المستند؟
field-file = الملف
hint-file = ملف PDF أو JPEG أو PNG أو TIFF، حجمه 50 MB كحد أقصى.
message-send = إرسال
message-sent = تم إرسال رسالتك إلى المكتب.
messages-sent = الرسائل التي أرسلتها
security-suggest = احمِ حسابك برمز من هاتفك

step-registered-title = تم تسجيل طلبك
step-registered-text = المكتب يفحص ملفك. لا تحتاج إلى فعل أي شيء في الوقت الحالي.
step-items-missing-title = هناك مستندات ناقصة
step-items-missing-text = ملفك غير مكتمل. اقرأ الرسالة «طلب المستندات الناقصة» أدناه، وأرسل ما ينقص في أقرب وقت ممكن.
step-waiting-for-interview-title = ملفك مكتمل
step-waiting-for-interview-text = سيدرس موظف من المكتب طلبك. ستصلك رسالة تدعوك إلى مقابلة.
step-interview-scheduled-title = تم تحديد موعد مقابلتك
step-interview-scheduled-text = اقرأ رسالة الدعوة أدناه: فيها التاريخ والمكان وما يجب أن تحضره معك. سيكون هناك مترجم إذا كنت تحتاج إليه.
step-under-examination-title = طلبك قيد الدراسة
step-under-examination-text = المكتب يُحضّر قراره. ستجده هنا فور توقيعه.
step-decision-available-title = القرار بشأن طلبك موجود هنا
step-decision-available-text = افتح القرار أدناه. يُعتبر أنك استلمت القرار في اليوم الذي تفتحه فيه لأول مرة، أو بعد 15 يومًا من وضعه هنا إذا لم تفتحه.
step-decision-notified-title = لقد استلمت القرار
step-decision-notified-text = إذا كنت لا توافق على قرار الرفض، يمكنك تقديم طعن أمام المحكمة الوطنية لحق اللجوء (CNDA) خلال المهلة المذكورة أدناه. يمكنك طلب المساعدة القضائية المجانية.
step-appealed-title = طعنك معروض على المحكمة
step-appealed-text = ستتواصل معك المحكمة الوطنية لحق اللجوء مباشرة.
step-court-rejected-title = رفضت المحكمة طعنك
step-court-rejected-text = أكدت المحكمة الوطنية لحق اللجوء قرار المكتب. ترسل إليك المحكمة قرارها الخاص.
step-protected-by-court-title = منحتك المحكمة الحماية
step-protected-by-court-text = منحتك المحكمة الوطنية لحق اللجوء الحماية. سيتواصل معك المكتب بشأن وثائقك.
step-sent-back-title = أعادت المحكمة طلبك إلى المكتب
step-sent-back-text = ألغت المحكمة الوطنية لحق اللجوء القرار. يعيد المكتب دراسة طلبك، وقد تُدعى إلى مقابلة جديدة.
step-finished-title = انتهت الإجراءات
step-finished-text = تبقى مستنداتك متوفرة هنا.
step-closed-title = تم إغلاق ملفك
step-closed-text = إذا كنت تريد متابعة طلبك، اتصل بالمكتب بسرعة: يمكن إعادة فتح الملف المغلق خلال مدة محدودة فقط.

milestone-interview = المقابلة: { $date }
milestone-decision-expected = القرار متوقع في موعد أقصاه: { $date }
milestone-open-decision-by = افتح القرار قبل: { $date }
milestone-appeal-by = آخر يوم لتقديم الطعن: { $date }
milestone-hearing = جلسة المحكمة: { $date }

doc-kind-application-form = استمارة الطلب
doc-kind-photograph = صور شخصية
doc-kind-residence-document = وثيقة إقامة
doc-kind-account-of-reasons = روايتك
doc-kind-identity-document = وثيقة هوية
doc-kind-civil-status = وثيقة أحوال مدنية
doc-kind-medical-certificate = شهادة طبية
doc-kind-evidence = إثبات
doc-kind-correspondence = رسالة أو تغيير عنوان
doc-kind-receipt = إيصال التسجيل
doc-kind-missing-items-request = طلب المستندات الناقصة
doc-kind-convocation = دعوة إلى المقابلة
doc-kind-decision = القرار بشأن طلبك
doc-kind-other = مستند آخر

security-title = أمان حسابي
security-intro = يمكنك إضافة حماية ثانية: بعد كلمة المرور، رمز يعطيه تطبيق على هاتفك (مثلًا FreeOTP أو Google Authenticator).
totp-is-on = الحماية برمز الهاتف مفعّلة.
totp-is-off = الحماية برمز الهاتف غير مفعّلة.
totp-turn-on = تفعيل رمز الهاتف
totp-turn-off = إيقاف رمز الهاتف
totp-step-scan = في التطبيق على هاتفك، امسح هذه الصورة، أو اكتب المفتاح السري.
totp-step-type = اكتب الرمز المكوّن من 6 أرقام الذي يظهر في التطبيق.
totp-qr = صورة للمسح بتطبيق المصادقة
totp-secret = المفتاح السري:
totp-confirm = تأكيد
totp-on = تم: سيُطلب منك رمز من هاتفك في كل مرة تدخل فيها إلى حسابك.
totp-off = تم إيقاف الحماية برمز الهاتف.

date-long = { $day } { $month } { $year }
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

error-title-400 = تعذّر استعمال الاستمارة
error-title-401 = يُرجى تسجيل الدخول
error-title-404 = غير موجود
error-title-413 = الحجم كبير جدًا
error-title-422 = يُرجى التحقق من الاستمارة
error-title-429 = محاولات كثيرة جدًا
error-title-500 = حدثت مشكلة
error-generic = حدثت مشكلة. لم يتغيّر أي شيء. يُرجى المحاولة مرة أخرى لاحقًا.
error-bad_credentials = رقم الملف أو كلمة المرور غير صحيح.
error-locked = محاولات كثيرة جدًا. من أجل سلامتك، انتظر 15 دقيقة قبل أن تحاول مرة أخرى.
error-not_found = هذه الصفحة أو هذا المستند غير موجود.
error-unauthenticated = يُرجى تسجيل الدخول مرة أخرى.
error-bad_request = انتهت صلاحية الاستمارة. أعد تحميل الصفحة وحاول مرة أخرى.
error-case_number = اكتب رقم ملفك كما هو على إيصال التسجيل، مثلًا 2026-0001234.
error-code_required = اكتب رمز التفعيل الموجود على إيصال التسجيل.
error-code_wrong = هذا الرمز غير صحيح، أو استُعمل من قبل، أو انتهت صلاحيته. تحقق منه، أو اطلب رمزًا جديدًا من المكتب.
error-password_length = اختر كلمة مرور من 10 أحرف على الأقل.
error-password_weak = اختر كلمة مرور لا تحتوي على رقم ملفك.
error-passwords_differ = كلمتا المرور غير متطابقتين.
error-password_wrong = كلمة المرور غير صحيحة.
error-totp_wrong = هذا الرمز غير صحيح. اكتب الرمز الذي يظهر على هاتفك الآن.
error-too_many_files = يمكنك إرسال 5 مستندات كحد أقصى مع كل رسالة.
error-field-text = اكتب رسالة أو أضف مستندًا (5000 حرف كحد أقصى).
error-field-file = لا يمكن إرسال هذا الملف. اختر ملفًا آخر.
error-upload_empty = الملف فارغ.
error-upload_too_large = الملف كبير جدًا (الحد الأقصى 50 MB).
error-upload_unknown_type = أرسل ملفًا بصيغة PDF أو JPEG أو PNG أو TIFF.
error-upload_encrypted = ملف PDF محمي بكلمة مرور. أرسل نسخة بدون كلمة مرور، أو أرسل صورة.
error-upload_malformed = الملف تالف أو غير كامل.
error-upload_too_many_pages = عدد صفحات الملف كبير جدًا.
error-upload_image_too_large = الصورة كبيرة جدًا. التقط الصورة مرة أخرى بدقة أقل.
error-upload_unreadable = لا يمكن قراءة الملف.
error-upload_active_content = يحتوي ملف PDF هذا على برامج نصية أو محتوى نشط آخر لا يمكننا قبوله. افتحه واختر «طباعة» ثم «حفظ بتنسيق PDF» (أو «Microsoft Print to PDF»)، وأرسل الملف الجديد. تصلح أيضًا صورة للورقة.

## Civil status
doc-kind-fgm-certificate = شهادة طبية
doc-kind-certified-copy = نسخة مصدقة من وثيقة أحوال مدنية
civil-acts-title = وثائق أحوالك المدنية
civil-acts-intro = حرّر المكتب هذه الوثائق التي تقوم مقام سجلات الأحوال المدنية في بلدك الأصلي. اطلب نسخة مصدقة: تصل فوراً إلى وثائقك، مع رمز QR يمكن لأي شخص التحقق منه.
civil-act-birth = وثيقة ولادة
civil-act-marriage = وثيقة زواج
civil-act-death = وثيقة وفاة
civil-request-copy = طلب نسخة مصدقة
civil-copy-sent = النسخة المصدقة موجودة في وثائقك.

## انتهاء الحماية
doc-kind-ending-letter = رسالة بشأن حمايتك
doc-kind-ending-decision = قرار بشأن حمايتك
ending-ground-label = السبب الذي يذكره المكتب:
ending-ground-cessation = زالت الظروف التي مُنحت الحماية بسببها (انتفاء الحماية)
ending-ground-fraud = يُحتمل أن الحماية قد حُصل عليها بالاحتيال (سحب الحماية)
ending-ground-exclusion = قد ينطبق عليك أحد بنود الاستبعاد (سحب الحماية)
ending-ground-threat = قد يشكّل وجودك تهديدًا خطيرًا للدولة أو للمجتمع (سحب الحماية)
ending-ground-renunciation = صرّحت بأنك تتخلى عن حمايتك (التخلي)
ending-awaiting-title = يدرس المكتب إنهاء حمايتك
ending-awaiting-text = اقرأ الرسالة في مستنداتك. لك الحق في أن يُستمع إليك: يمكنك الرد أدناه بلغتك حتى { $date }. يمكن أن يساعدك محامٍ أو شخص تختاره.
ending-heard-title = يدرس المكتب حمايتك
ending-heard-text = انتهت مهلة الرد أو تم استلام ردك. سيرسل المكتب قراره إلى هذه المساحة.
ending-ended-title = انتهت حمايتك
ending-ended-text = قرر المكتب في { $date } إنهاء حمايتك. اقرأ القرار في مستنداتك: يوضح الأسباب وكيفية الطعن أمام المحكمة الوطنية لحق اللجوء خلال شهر واحد.
ending-maintained-title = حمايتك مستمرة
ending-maintained-text = قرر المكتب في { $date } الإبقاء على حمايتك. اقرأ القرار في مستنداتك.
ending-answer-field = ردك على المكتب
ending-answer-send = إرسال ردي
ending-answer-sent = تم إرسال ردك إلى المكتب.
ending-answer-error = اكتب ردك (20000 حرف على الأكثر).
doc-kind-fgm-letter = رسالة بشأن الفحص الطبي لابنتك
doc-kind-family-book = دفتر العائلة

# أسباب اقتراح التوجيه الإقليمي

# رسائل وكالة الاستقبال إلى الأسرة
reception-letters-title = رسائل وكالة الاستقبال
reception-letters-intro = تكتب إليك الوكالة المسؤولة عن سكنك ومنحتك بشكل منفصل عن مكتب اللجوء. كل رسالة مكتوبة بالفرنسية، تليها ترجمة عندما تسمح لغتك بذلك.
reception-letter-offer-refusal = رفض شروط الاستقبال المادية
reception-letter-orientation-proposal = عرض سكن في منطقة أخرى
reception-letter-contest-decision = قرار بشأن اعتراضكم على العرض
reception-letter-conditions-ending-notice = إشعار مسبق قبل إنهاء شروط استقبالك
reception-letter-conditions-ending-decision = قرار بشأن شروط استقبالك

# Notices (/portal/notices)
notices-link = الإشعارات
notices-title = تلقي إشعار بوثيقة جديدة
notices-intro = عندما توضع وثيقة في فضائك، يمكننا إبلاغك بالبريد الإلكتروني أو برسالة نصية. تقول الرسالة فقط إن وثيقة في انتظارك، ولا تذكر أبدًا محتواها: لقراءتها، سجّل الدخول هنا.
field-email = البريد الإلكتروني
field-email-hint = (اختياري، مثلًا name@example.org)
field-mobile = رقم الهاتف المحمول
field-mobile-hint = (اختياري، مع رمز البلد، مثلًا ‎+33 6 12 34 56 78)
notices-channels = أبلغوني
notices-by-email = بالبريد الإلكتروني
notices-by-sms = برسالة نصية (SMS)
notices-save = حفظ
notices-saved = تم حفظ اختياراتك.
notices-sent-title = آخر الإشعارات المرسلة
notices-none = لم يُرسل أي إشعار بعد.
notice-channel-email = بريد إلكتروني
notice-channel-sms = رسالة نصية
notice-sent = أُرسل
notice-pending = قيد الإرسال
notice-undelivered = تعذّر تسليمه
error-email_invalid = عنوان البريد الإلكتروني هذا غير صالح. مثال: name@example.org
error-mobile_invalid = هذا الرقم غير صالح. اكتبه مع رمز البلد، مثلًا ‎+33 6 12 34 56 78.
doc-kind-interview-recording = التسجيل الصوتي للمقابلة
