# حساب امن متقاضیان (Espace usager)، به زبان دری ساده. جمله‌های کوتاه، بدون اصطلاحات دشوار.
portal-name = حساب پناهندگی من
office-name = ادارهٔ حمایت از پناهندگان و افراد بی‌تابعیت
skip-to-content = رفتن به محتوا
language-menu = زبان
security-link = امنیت
sign-out = خروج
footer-privacy = دوسیهٔ شما محرمانه است. فقط کارمندان اداره که روی دوسیهٔ شما کار می‌کنند، می‌توانند آن را بخوانند. هر بار که دوسیه باز شود، ثبت می‌شود.
back-home = بازگشت به حساب من
back-sign-in = بازگشت به صفحهٔ ورود

sign-in-title = ورود به حساب من
sign-in-intro = در اینجا می‌توانید درخواست پناهندگی خود را دنبال کنید و نامه‌هایی را که اداره برای شما می‌فرستد، بخوانید.
field-case-number = شمارهٔ دوسیه
hint-case-number = این شماره روی رسید ثبت شما نوشته شده است، مثلاً 2026-0001234.
field-password = رمز عبور
sign-in-button = ورود
first-time-title = بار اول است که به اینجا می‌آیید؟
first-time-text = برای ساختن رمز عبور خود، از کود فعال‌سازی که روی رسید ثبت شما چاپ شده است، استفاده کنید.
activate-link = فعال کردن حساب من
forgotten-title = رمز عبور را فراموش کرده‌اید؟
forgotten-text = با رسید ثبت یا سند هویت خود به بخش پذیرش اداره بروید. یک کود فعال‌سازی جدید به شما داده می‌شود. هیچ کسی از اداره هرگز رمز عبور شما را از شما نمی‌خواهد.

activate-title = فعال کردن حساب من
activate-intro = شمارهٔ دوسیه و کود فعال‌سازی را که روی رسید ثبت شماست بنویسید، بعد یک رمز عبور انتخاب کنید. این کود فقط یک بار کار می‌کند.
field-code = کود فعال‌سازی
hint-code = 16 حرف و عدد، مثلاً ABCD-EFGH-JKLM-NPQR.
field-new-password = یک رمز عبور انتخاب کنید
hint-password = { $count ->
    [one] حداقل { $count } حرف. به یاد سپردن یک جمله آسان است.
   *[other] حداقل { $count } حرف. به یاد سپردن یک جمله آسان است.
}
field-confirm = رمز عبور را دوباره بنویسید
activate-button = فعال کردن

verify-title = تأیید کنید که خودتان هستید
verify-intro = اپلیکیشن تأیید هویت را در تلیفون خود باز کنید و کود 6 رقمی را که برای Nansen نشان می‌دهد، بنویسید.
field-totp = کود 6 رقمی
verify-button = تأیید

home-title = درخواست پناهندگی من
home-case = شمارهٔ دوسیه:
next-dates = تاریخ‌های مهم
documents-title = اسناد من
documents-intro = نامه‌ها و فیصله‌هایی که اداره برای شما فرستاده است. هر کدام را باز کنید: تاریخی که یک فیصله را برای اولین بار باز می‌کنید، برای حقوق شما مهم است.
documents-none = شما هنوز هیچ سندی ندارید.
document-available = از { $date } در دسترس است.
document-opened = اولین بار در { $date } باز شد.
document-new = جدید — هنوز باز نشده
messages-title = نوشتن به اداره
messages-intro = تغییر آدرس خود را به ما اطلاع دهید یا یک سند بفرستید (مثلاً تصدیق صحی). کارمند مسئول دوسیهٔ شما آن را می‌بیند.
field-message = پیام شما
hint-message = به هر زبانی که می‌خواهید. حداکثر 5000 حرف.
field-files = { $count ->
    [one] سند (حداکثر { $count })
   *[other] سند (حداکثر { $count })
}
field-kind = نوع سند چیست؟
field-file = فایل
hint-file = فایل PDF، JPEG، PNG یا TIFF، حداکثر 50 MB.
message-send = فرستادن
message-sent = پیام شما به اداره فرستاده شد.
messages-sent = پیام‌های فرستاده‌شده
security-suggest = از حساب خود با یک کود از تلیفون‌تان محافظت کنید

step-registered-title = درخواست شما ثبت شده است
step-registered-text = اداره دوسیهٔ شما را بررسی می‌کند. فعلاً لازم نیست کاری انجام دهید.
step-items-missing-title = بعضی اسناد کم است
step-items-missing-text = دوسیهٔ شما کامل نیست. نامهٔ «درخواست اسناد تکمیلی» را در پایین بخوانید و آنچه را که کم است، هر چه زودتر بفرستید.
step-waiting-for-interview-title = دوسیهٔ شما کامل است
step-waiting-for-interview-text = یک کارمند اداره درخواست شما را بررسی خواهد کرد. شما نامه‌ای دریافت می‌کنید که شما را به مصاحبه دعوت می‌کند.
step-interview-scheduled-title = وقت مصاحبهٔ شما تعیین شده است
step-interview-scheduled-text = دعوت‌نامهٔ خود را در پایین بخوانید: در آن تاریخ، جای مصاحبه و چیزهایی که باید با خود بیاورید، نوشته شده است. اگر ضرورت داشته باشید، یک ترجمان حاضر خواهد بود.
step-under-examination-title = درخواست شما در حال بررسی است
step-under-examination-text = اداره فیصلهٔ خود را آماده می‌کند. به محض امضا شدن، آن را در اینجا پیدا می‌کنید.
step-decision-available-title = فیصله دربارهٔ درخواست شما آماده است
step-decision-available-text = فیصله را در پایین باز کنید. روزی که آن را برای اولین بار باز می‌کنید، روز دریافت آن حساب می‌شود. اگر آن را باز نکنید، 15 روز بعد از گذاشتن آن در اینجا، دریافت‌شده حساب می‌شود.
step-decision-notified-title = شما فیصله را دریافت کرده‌اید
step-decision-notified-text = اگر با رد درخواست خود موافق نیستید، می‌توانید در مهلتی که در پایین نوشته شده است، به محکمهٔ ملی حق پناهندگی (CNDA) اعتراض کنید. می‌توانید مساعدت حقوقی رایگان بخواهید.
step-appealed-title = اعتراض شما در محکمه است
step-appealed-text = محکمهٔ ملی حق پناهندگی مستقیماً با شما تماس می‌گیرد.
step-court-rejected-title = محکمه اعتراض شما را رد کرد
step-court-rejected-text = محکمهٔ ملی حق پناهندگی تصمیم دفتر را تأیید کرد. محکمه تصمیم خود را برای شما می‌فرستد.
step-protected-by-court-title = محکمه به شما حمایت داد
step-protected-by-court-text = محکمهٔ ملی حق پناهندگی به شما حمایت داد. دفتر برای اسناد شما با شما تماس می‌گیرد.
step-sent-back-title = محکمه درخواست شما را به دفتر برگرداند
step-sent-back-text = محکمهٔ ملی حق پناهندگی تصمیم را لغو کرد. دفتر درخواست شما را دوباره بررسی می‌کند؛ ممکن است برای مصاحبهٔ جدید دعوت شوید.
step-finished-title = روند رسیدگی تمام شده است
step-finished-text = اسناد شما در اینجا در دسترس باقی می‌مانند.
step-closed-title = دوسیهٔ شما بسته شده است
step-closed-text = اگر می‌خواهید درخواست خود را ادامه دهید، زود با اداره تماس بگیرید: دوسیهٔ بسته‌شده را فقط برای مدت محدودی می‌توان دوباره باز کرد.

milestone-interview = مصاحبه: { $date }
milestone-decision-expected = فیصلهٔ متوقع، حداکثر تا: { $date }
milestone-open-decision-by = فیصلهٔ خود را قبل از این تاریخ باز کنید: { $date }
milestone-appeal-by = آخرین روز برای اعتراض: { $date }
milestone-hearing = جلسهٔ محکمه: { $date }

doc-kind-application-form = فورم درخواست
doc-kind-photograph = عکس‌ها
doc-kind-residence-document = سند اقامت
doc-kind-account-of-reasons = روایت شما
doc-kind-identity-document = سند هویت
doc-kind-civil-status = سند احوال شخصیه
doc-kind-medical-certificate = تصدیق صحی
doc-kind-evidence = ثبوت
doc-kind-correspondence = نامه یا تغییر آدرس
doc-kind-receipt = رسید ثبت
doc-kind-missing-items-request = درخواست اسناد تکمیلی
doc-kind-convocation = دعوت‌نامهٔ مصاحبه
doc-kind-decision = فیصله دربارهٔ درخواست شما
doc-kind-other = سند دیگر

security-title = امنیت حساب من
security-intro = می‌توانید یک محافظت دوم اضافه کنید: بعد از رمز عبور، کودی که یک اپلیکیشن در تلیفون شما نشان می‌دهد (مثلاً FreeOTP یا Google Authenticator).
totp-is-on = محافظت با کود تلیفون روشن است.
totp-is-off = محافظت با کود تلیفون خاموش است.
totp-turn-on = روشن کردن کود تلیفون
totp-turn-off = خاموش کردن کود تلیفون
totp-step-scan = در اپلیکیشن تلیفون خود این تصویر را اسکن کنید، یا کلید مخفی را بنویسید.
totp-step-type = کود 6 رقمی را که اپلیکیشن نشان می‌دهد، بنویسید.
totp-qr = تصویر برای اسکن کردن با اپلیکیشن تأیید هویت
totp-secret = کلید مخفی:
totp-confirm = تأیید
totp-on = انجام شد: هر بار که وارد حساب خود می‌شوید، از شما یک کود از تلیفون‌تان خواسته می‌شود.
totp-off = محافظت با کود تلیفون خاموش شد.

date-long = { $day } { $month } { $year }
month-1 = جنوری
month-2 = فبروری
month-3 = مارچ
month-4 = اپریل
month-5 = می
month-6 = جون
month-7 = جولای
month-8 = آگست
month-9 = سپتمبر
month-10 = اکتوبر
month-11 = نومبر
month-12 = دسمبر

error-title-400 = فورم قابل استفاده نبود
error-title-401 = لطفاً وارد شوید
error-title-404 = پیدا نشد
error-title-413 = خیلی بزرگ است
error-title-422 = لطفاً فورم را بررسی کنید
error-title-429 = تعداد کوشش‌ها زیاد است
error-title-500 = مشکلی پیش آمد
error-generic = مشکلی پیش آمد. هیچ چیزی تغییر نکرد. لطفاً بعداً دوباره کوشش کنید.
error-bad_credentials = شمارهٔ دوسیه یا رمز عبور درست نیست.
error-locked = تعداد کوشش‌ها زیاد است. برای امنیت شما، 15 دقیقه صبر کنید و بعد دوباره کوشش کنید.
error-not_found = این صفحه یا این سند وجود ندارد.
error-unauthenticated = لطفاً دوباره وارد شوید.
error-bad_request = وقت این فورم تمام شده است. صفحه را دوباره باز کنید و از نو کوشش کنید.
error-case_number = شمارهٔ دوسیهٔ خود را همان‌طور که روی رسید نوشته شده است، بنویسید، مثلاً 2026-0001234.
error-code_required = کود فعال‌سازی را که روی رسید ثبت شماست، بنویسید.
error-code_wrong = این کود درست نیست، قبلاً استفاده شده یا وقت آن تمام شده است. آن را بررسی کنید یا از اداره یک کود جدید بخواهید.
error-password_length = یک رمز عبور با حداقل 10 حرف انتخاب کنید.
error-password_weak = رمز عبوری انتخاب کنید که شمارهٔ دوسیهٔ شما در آن نباشد.
error-passwords_differ = دو رمز عبور یکسان نیستند.
error-password_wrong = رمز عبور درست نیست.
error-totp_wrong = این کود درست نیست. کودی را که همین حالا تلیفون شما نشان می‌دهد، بنویسید.
error-too_many_files = با هر پیام حداکثر 5 سند می‌توانید بفرستید.
error-field-text = یک پیام بنویسید یا یک سند اضافه کنید (حداکثر 5000 حرف).
error-field-file = این فایل فرستاده نمی‌شود. فایل دیگری انتخاب کنید.
error-upload_empty = فایل خالی است.
error-upload_too_large = فایل خیلی بزرگ است (حداکثر 50 MB).
error-upload_unknown_type = یک فایل PDF، JPEG، PNG یا TIFF بفرستید.
error-upload_encrypted = این فایل PDF با رمز عبور قفل شده است. یک کاپی بدون رمز عبور یا یک عکس بفرستید.
error-upload_malformed = فایل خراب یا ناقص است.
error-upload_too_many_pages = تعداد صفحه‌های فایل خیلی زیاد است.
error-upload_image_too_large = عکس خیلی بزرگ است. عکس را دوباره با کیفیت پایین‌تر بگیرید.
error-upload_unreadable = فایل خوانده نمی‌شود.
error-upload_active_content = این PDF دارای اسکریپت یا محتوای فعال دیگری است که ما نمی‌توانیم آن را بپذیریم. آن را باز کنید، «چاپ» و سپس «ذخیره به صورت PDF» (یا «Microsoft Print to PDF») را انتخاب کنید و فایل جدید را بفرستید. عکس کاغذ هم قابل قبول است.

## Civil status
doc-kind-fgm-certificate = تصدیق طبی
doc-kind-certified-copy = کاپی تصدیق‌شدهٔ سند احوال مدنی
civil-acts-title = اسناد احوال مدنی شما
civil-acts-intro = دفتر این اسناد را ترتیب داده است که جای اسناد احوال مدنی کشور اصلی شما را می‌گیرند. یک کاپی تصدیق‌شده بخواهید: فوراً در میان اسناد شما می‌رسد، با یک کد QR که هر کس می‌تواند بررسی کند.
civil-act-birth = سند تولد
civil-act-marriage = سند ازدواج
civil-act-death = سند وفات
civil-request-copy = درخواست کاپی تصدیق‌شده
civil-copy-sent = کاپی تصدیق‌شده در میان اسناد شما است.

## پایان حمایت
doc-kind-ending-letter = نامه در مورد حمایت شما
doc-kind-ending-decision = تصمیم در مورد حمایت شما
ending-ground-label = دلیلی که اداره ذکر می‌کند:
ending-ground-cessation = شرایطی که به خاطر آن از شما حمایت شد، دیگر وجود ندارد (قطع حمایت)
ending-ground-fraud = ممکن است حمایت از راه تقلب به دست آمده باشد (سلب حمایت)
ending-ground-exclusion = ممکن است یکی از بندهای استثنا بر شما تطبیق شود (سلب حمایت)
ending-ground-threat = ممکن است حضور شما تهدید جدی برای دولت یا جامعه باشد (سلب حمایت)
ending-ground-renunciation = شما اعلام کردید که از حمایت خود صرف نظر می‌کنید (انصراف)
ending-awaiting-title = اداره پایان دادن به حمایت شما را بررسی می‌کند
ending-awaiting-text = نامه را در اسناد خود بخوانید. شما حق دارید شنیده شوید: می‌توانید تا { $date } در پایین به زبان خود پاسخ دهید. یک وکیل یا شخصی که خودتان انتخاب می‌کنید می‌تواند به شما کمک کند.
ending-heard-title = اداره حمایت شما را بررسی می‌کند
ending-heard-text = مهلت پاسخ تمام شده یا پاسخ شما دریافت شده است. اداره تصمیم خود را به این فضا می‌فرستد.
ending-ended-title = حمایت شما پایان یافت
ending-ended-text = اداره در { $date } تصمیم گرفت به حمایت شما پایان دهد. تصمیم را در اسناد خود بخوانید: دلیل آن و چگونگی اعتراض در محکمهٔ ملی حق پناهندگی در مدت یک ماه در آن آمده است.
ending-maintained-title = حمایت شما ادامه دارد
ending-maintained-text = اداره در { $date } تصمیم گرفت حمایت شما را حفظ کند. تصمیم را در اسناد خود بخوانید.
ending-answer-field = پاسخ شما به اداره
ending-answer-send = پاسخ مرا بفرست
ending-answer-sent = پاسخ شما به اداره فرستاده شد.
ending-answer-error = پاسخ خود را بنویسید (حداکثر ۲۰٬۰۰۰ حرف).
doc-kind-fgm-letter = نامه در مورد معاینهٔ طبی دختر شما
doc-kind-family-book = دفترچهٔ خانواده

# دلایل پیشنهاد جابجایی منطقه‌ای

# نامه‌های اداره پذیرش به خانواده
reception-letters-title = نامه‌های اداره پذیرش
reception-letters-intro = اداره‌ای که مسئول سرپناه و کمک‌هزینه شماست، جدا از دفتر پناهندگی به شما نامه می‌نویسد. هر نامه به زبان فرانسوی است و اگر زبان شما ممکن باشد، ترجمه آن هم پس از آن می‌آید.
reception-letter-offer-refusal = رد شرایط مادی پذیرش
reception-letter-orientation-proposal = پیشنهاد سرپناه در یک منطقه دیگر
reception-letter-contest-decision = تصمیم درباره اعتراض شما به پیشنهاد
reception-letter-conditions-ending-notice = اطلاعیه پیش از پایان دادن به شرایط پذیرش شما
reception-letter-conditions-ending-decision = تصمیم درباره شرایط پذیرش شما

# Notices (/portal/notices)
notices-link = اطلاعیه‌ها
notices-title = باخبر شدن از یک سند جدید
notices-intro = وقتی سندی در فضای شما گذاشته می‌شود، می‌توانیم از طریق ایمیل یا پیام کوتاه به شما خبر بدهیم. پیام فقط می‌گوید که سندی منتظر شماست، هرگز نمی‌گوید که در آن چه نوشته شده است: برای خواندن آن، اینجا وارد شوید.
field-email = آدرس ایمیل
field-email-hint = (اختیاری، مثلاً name@example.org)
field-mobile = شمارهٔ تلیفون همراه
field-mobile-hint = (اختیاری، با کود کشور، مثلاً ‎+33 6 12 34 56 78)
notices-channels = به من خبر بدهید
notices-by-email = از طریق ایمیل
notices-by-sms = از طریق پیام کوتاه (SMS)
notices-save = ذخیره
notices-saved = انتخاب‌های شما ذخیره شد.
notices-sent-title = آخرین اطلاعیه‌های فرستاده شده
notices-none = هنوز هیچ اطلاعیه‌ای فرستاده نشده است.
notice-channel-email = ایمیل
notice-channel-sms = پیام کوتاه
notice-sent = فرستاده شد
notice-pending = در حال فرستادن
notice-undelivered = رسانده نشد
error-email_invalid = این آدرس ایمیل درست نیست. مثال: name@example.org
error-mobile_invalid = این شماره درست نیست. آن را با کود کشور بنویسید، مثلاً ‎+33 6 12 34 56 78.
doc-kind-interview-recording = ضبط صوتی مصاحبه
