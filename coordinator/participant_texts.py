# ruff: noqa: E501  (sentences are kept whole, one per line, to be read and reviewed as sentences)
"""What the participants themselves read, in the eight languages most newcomers here speak:
the text messages to a newcomer (coordinator.services.surveys) and the short page her signed
link opens, which the volunteer's e-mailed link opens too.

Written here rather than in the gettext catalogues because the rest of Vänmatch is in Swedish
and English only; each language is complete (a test checks every key and placeholder) and the
relationship statements are the same five as coordinator.relationship, in the first person.
Texts are short and plain: an SMS in Arabic, Persian, Dari, Tigrinya or Ukrainian is sent in
UCS-2, 70 characters a part, so each message is two or three parts. Names are first names only
and nothing else about the match is put in a message, since a phone may be shared.

Dari (`prs`) is written in the Afghan usage (بلی، تشکر، لینک, ملاقات), not in Iranian Persian.
"""

from typing import TypedDict


class Texts(TypedDict):
    met: str
    week: str
    exit: str
    thanks: str
    stopped: str
    started: str
    title_week: str
    title_exit: str
    intro_week: str
    intro_exit: str
    items: list[str]
    points: list[str]
    exit_q1: str
    exit_points: list[str]
    exit_q2: str
    keep: list[str]
    submit: str
    done: str
    already: str
    expired: str
    error_title: str
    error_item: str
    contact: str


RTL = frozenset({"ar", "fa", "prs"})
# Each language's name in itself, for the links between them.
ENDONYMS = {
    "sv": "Svenska", "en": "English", "ar": "العربية", "prs": "دری", "fa": "فارسی", "ti": "ትግርኛ",
    "so": "Soomaali", "uk": "Українська",
}  # fmt: skip
STOP_WORDS = frozenset({"stop", "stopp", "stoppa", "sluta", "avsluta", "توقف", "لغو", "ایست", "jooji", "ኣቋርጽ", "стоп"})
START_WORDS = frozenset({"start", "starta", "börja", "ابدأ", "شروع", "bilow", "ጀምር", "старт"})

TEXTS: dict[str, Texts] = {
    "sv": {
        "met": "Hej! Träffade du {friend} den här veckan? Svara 1 = ja, 2 = nej. "
        "Svara STOPP om du inte vill få fler sms. /{org}",
        "week": "Hej! Hur går det med {friend}? Svara med en siffra från 1 (inte bra) till 5 (mycket bra), "
        "eller svara på fem korta frågor: {link} /{org}",
        "exit": "Hej! Nu är tiden med {friend} slut. Hur har det varit? Svara med en siffra från 1 (inte bra) "
        "till 5 (mycket bra), eller svara på två frågor: {link} /{org}",
        "thanks": "Tack för ditt svar! /{org}",
        "stopped": "Du får inga fler sms från {org}. Svara START om du vill få dem igen.",
        "started": "Du får sms från {org} igen. Svara STOPP om du vill sluta.",
        "title_week": "Hur går det med {friend}?",
        "title_exit": "Nu är tiden med {friend} slut",
        "intro_week": "Svara på fem korta frågor. Det tar en minut. Bara din samordnare ser dina svar.",
        "intro_exit": "Två frågor om tiden ni har haft tillsammans. Bara din samordnare ser dina svar.",
        "items": [
            "Vi har trevligt när vi träffas.",
            "Jag kan prata med min vän om sådant som är viktigt för mig.",
            "Min vän förstår mig, också när orden inte räcker.",
            "Jag ser fram emot nästa gång vi ses.",
            "Jag känner mig trygg med min vän.",
        ],
        "points": ["Stämmer inte alls", "Stämmer dåligt", "Stämmer delvis", "Stämmer ganska bra", "Stämmer helt"],
        "exit_q1": "Hur bra har det fungerat för dig?",
        "exit_points": ["Inte alls bra", "Inte så bra", "Sådär", "Bra", "Mycket bra"],
        "exit_q2": "Tänker ni fortsätta att höras?",
        "keep": ["Ja", "Nej", "Vet inte"],
        "submit": "Skicka svaren",
        "done": "Tack! Dina svar är sparade.",
        "already": "Du har redan svarat. Tack!",
        "expired": "Länken gäller inte längre. Hör av dig till din samordnare om du vill svara.",
        "error_title": "Något behöver rättas",
        "error_item": "Välj ett svar på frågan.",
        "contact": "Frågor? Ring {name}, {phone}.",
    },
    "en": {
        "met": "Hello! Did you meet {friend} this week? Reply 1 = yes, 2 = no. Reply STOP to get no more texts. /{org}",
        "week": "Hello! How is it going with {friend}? Reply with a number from 1 (not well) to 5 (very well), "
        "or answer five short questions: {link} /{org}",
        "exit": "Hello! Your time with {friend} has come to an end. How was it? Reply with a number from "
        "1 (not good) to 5 (very good), or answer two questions: {link} /{org}",
        "thanks": "Thank you for your answer! /{org}",
        "stopped": "You will get no more texts from {org}. Reply START if you want them again.",
        "started": "You will get texts from {org} again. Reply STOP to end them.",
        "title_week": "How is it going with {friend}?",
        "title_exit": "Your time with {friend} has ended",
        "intro_week": "Answer five short questions. It takes a minute. Only your coordinator sees your answers.",
        "intro_exit": "Two questions about your time together. Only your coordinator sees your answers.",
        "items": [
            "We have a good time when we meet.",
            "I can talk with my friend about things that matter to me.",
            "My friend understands me, even when words are not enough.",
            "I look forward to the next time we meet.",
            "I feel safe with my friend.",
        ],
        "points": ["Not at all true", "Hardly true", "Partly true", "Mostly true", "Completely true"],
        "exit_q1": "How well did it work for you?",
        "exit_points": ["Not well at all", "Not so well", "So-so", "Well", "Very well"],
        "exit_q2": "Do you plan to stay in touch?",
        "keep": ["Yes", "No", "Don't know"],
        "submit": "Send your answers",
        "done": "Thank you! Your answers are saved.",
        "already": "You have already answered. Thank you!",
        "expired": "This link is no longer valid. Contact your coordinator if you want to answer.",
        "error_title": "Something needs correcting",
        "error_item": "Choose an answer to the question.",
        "contact": "Questions? Call {name}, {phone}.",
    },
    "ar": {
        "met": "مرحباً! هل التقيت بـ{friend} هذا الأسبوع؟ أرسل 1 = نعم، 2 = لا. أرسل STOP لإيقاف الرسائل. /{org}",
        "week": "مرحباً! كيف تسير الأمور مع {friend}؟ أرسل رقماً من 1 (ليست جيدة) إلى 5 (جيدة جداً)، "
        "أو أجب عن خمسة أسئلة قصيرة: {link} /{org}",
        "exit": "مرحباً! انتهت فترة لقاءاتك مع {friend}. كيف كانت؟ أرسل رقماً من 1 (ليست جيدة) إلى 5 (جيدة جداً)، "
        "أو أجب عن سؤالين: {link} /{org}",
        "thanks": "شكراً على ردّك! /{org}",
        "stopped": "لن تصلك رسائل أخرى من {org}. أرسل START إذا أردت استلامها مجدداً.",
        "started": "ستصلك رسائل من {org} مجدداً. أرسل STOP لإيقافها.",
        "title_week": "كيف تسير الأمور مع {friend}؟",
        "title_exit": "انتهت فترة لقاءاتك مع {friend}",
        "intro_week": "أجب عن خمسة أسئلة قصيرة. يستغرق ذلك دقيقة واحدة. لا يرى إجاباتك إلا منسّقك.",
        "intro_exit": "سؤالان عن الوقت الذي قضيتماه معاً. لا يرى إجاباتك إلا منسّقك.",
        "items": [
            "نقضي وقتاً ممتعاً عندما نلتقي.",
            "أستطيع أن أتحدث مع صديقي عن الأمور المهمة بالنسبة لي.",
            "صديقي يفهمني، حتى عندما لا تكفي الكلمات.",
            "أتطلع إلى لقائنا القادم.",
            "أشعر بالأمان مع صديقي.",
        ],
        "points": ["لا ينطبق أبداً", "لا ينطبق غالباً", "ينطبق جزئياً", "ينطبق إلى حد كبير", "ينطبق تماماً"],
        "exit_q1": "إلى أي حد كانت التجربة جيدة بالنسبة لك؟",
        "exit_points": ["ليست جيدة أبداً", "ليست جيدة كثيراً", "مقبولة", "جيدة", "جيدة جداً"],
        "exit_q2": "هل تنويان البقاء على تواصل؟",
        "keep": ["نعم", "لا", "لا أعرف"],
        "submit": "أرسل الإجابات",
        "done": "شكراً! تم حفظ إجاباتك.",
        "already": "لقد أجبت من قبل. شكراً!",
        "expired": "هذا الرابط لم يعد صالحاً. تواصل مع منسّقك إذا أردت الإجابة.",
        "error_title": "هناك ما يحتاج إلى تصحيح",
        "error_item": "اختر إجابة لهذا السؤال.",
        "contact": "هل لديك أسئلة؟ اتصل بـ{name}، {phone}.",
    },
    "prs": {
        "met": "سلام! آیا این هفته با {friend} ملاقات کردید؟ بفرستید 1 = بلی، 2 = نخیر. "
        "برای قطع پیام‌ها STOP بفرستید. /{org}",
        "week": "سلام! کار تان با {friend} چطور پیش می‌رود؟ یک عدد از 1 (خوب نیست) تا 5 (بسیار خوب) بفرستید، "
        "یا به پنج سوال کوتاه جواب بدهید: {link} /{org}",
        "exit": "سلام! دوره‌ی ملاقات‌های شما با {friend} تمام شد. چطور گذشت؟ یک عدد از 1 (خوب نبود) تا 5 (بسیار خوب) "
        "بفرستید، یا به دو سوال جواب بدهید: {link} /{org}",
        "thanks": "تشکر از جواب تان! /{org}",
        "stopped": "دیگر از {org} پیام نمی‌گیرید. اگر دوباره پیام می‌خواهید، START بفرستید.",
        "started": "دوباره از {org} پیام می‌گیرید. برای قطع پیام‌ها STOP بفرستید.",
        "title_week": "کار تان با {friend} چطور پیش می‌رود؟",
        "title_exit": "دوره‌ی شما با {friend} تمام شد",
        "intro_week": "به پنج سوال کوتاه جواب بدهید. یک دقیقه وقت می‌گیرد. تنها هماهنگ‌کننده‌ی شما جواب‌های تان را می‌بیند.",
        "intro_exit": "دو سوال در باره‌ی وقتی که با هم گذراندید. تنها هماهنگ‌کننده‌ی شما جواب‌های تان را می‌بیند.",
        "items": [
            "وقتی همدیگر را می‌بینیم، خوش می‌گذرد.",
            "می‌توانم با دوستم در باره‌ی چیزهایی که برایم مهم است گپ بزنم.",
            "دوستم مرا می‌فهمد، حتی وقتی کلمات کافی نیست.",
            "منتظر ملاقات بعدی ما هستم.",
            "در کنار دوستم احساس امنیت می‌کنم.",
        ],
        "points": ["هیچ درست نیست", "زیاد درست نیست", "تا اندازه‌ای درست است", "تقریباً درست است", "کاملاً درست است"],
        "exit_q1": "این همراهی برای شما تا چه اندازه خوب بود؟",
        "exit_points": ["هیچ خوب نبود", "زیاد خوب نبود", "متوسط", "خوب", "بسیار خوب"],
        "exit_q2": "آیا می‌خواهید با هم در تماس بمانید؟",
        "keep": ["بلی", "نخیر", "نمی‌دانم"],
        "submit": "جواب‌ها را بفرستید",
        "done": "تشکر! جواب‌های تان ثبت شد.",
        "already": "شما قبلاً جواب داده‌اید. تشکر!",
        "expired": "این لینک دیگر اعتبار ندارد. اگر می‌خواهید جواب بدهید، با هماهنگ‌کننده‌ی تان تماس بگیرید.",
        "error_title": "چیزی باید اصلاح شود",
        "error_item": "برای این سوال یک جواب انتخاب کنید.",
        "contact": "سوال دارید؟ به {name} زنگ بزنید، {phone}.",
    },
    "fa": {
        "met": "سلام! این هفته با {friend} دیدار کردید؟ بفرستید 1 = بله، 2 = نه. برای قطع پیام‌ها STOP بفرستید. /{org}",
        "week": "سلام! رابطه‌تان با {friend} چطور پیش می‌رود؟ عددی از 1 (خوب نیست) تا 5 (خیلی خوب) بفرستید، "
        "یا به پنج پرسش کوتاه پاسخ دهید: {link} /{org}",
        "exit": "سلام! دوره‌ی دیدارهای شما با {friend} به پایان رسید. چطور گذشت؟ عددی از 1 (خوب نبود) تا 5 (خیلی خوب) "
        "بفرستید، یا به دو پرسش پاسخ دهید: {link} /{org}",
        "thanks": "از پاسخ شما سپاسگزاریم! /{org}",
        "stopped": "دیگر پیامی از {org} دریافت نمی‌کنید. اگر دوباره پیام می‌خواهید، START بفرستید.",
        "started": "دوباره از {org} پیام دریافت می‌کنید. برای قطع پیام‌ها STOP بفرستید.",
        "title_week": "رابطه‌تان با {friend} چطور پیش می‌رود؟",
        "title_exit": "دوره‌ی شما با {friend} به پایان رسید",
        "intro_week": "به پنج پرسش کوتاه پاسخ دهید. یک دقیقه طول می‌کشد. فقط هماهنگ‌کننده‌ی شما پاسخ‌هایتان را می‌بیند.",
        "intro_exit": "دو پرسش درباره‌ی زمانی که با هم گذراندید. فقط هماهنگ‌کننده‌ی شما پاسخ‌هایتان را می‌بیند.",
        "items": [
            "وقتی همدیگر را می‌بینیم، به ما خوش می‌گذرد.",
            "می‌توانم درباره‌ی چیزهایی که برایم مهم است با دوستم حرف بزنم.",
            "دوستم مرا درک می‌کند، حتی وقتی کلمات کافی نیستند.",
            "منتظر دیدار بعدی‌مان هستم.",
            "در کنار دوستم احساس امنیت می‌کنم.",
        ],
        "points": ["اصلاً درست نیست", "چندان درست نیست", "تا حدی درست است", "تقریباً درست است", "کاملاً درست است"],
        "exit_q1": "این همراهی تا چه اندازه برای شما خوب بود؟",
        "exit_points": ["اصلاً خوب نبود", "چندان خوب نبود", "متوسط", "خوب", "خیلی خوب"],
        "exit_q2": "آیا قصد دارید با هم در ارتباط بمانید؟",
        "keep": ["بله", "نه", "نمی‌دانم"],
        "submit": "ارسال پاسخ‌ها",
        "done": "سپاس! پاسخ‌های شما ذخیره شد.",
        "already": "شما پیش‌تر پاسخ داده‌اید. سپاس!",
        "expired": "این پیوند دیگر معتبر نیست. اگر می‌خواهید پاسخ دهید، با هماهنگ‌کننده‌ی خود تماس بگیرید.",
        "error_title": "چیزی باید اصلاح شود",
        "error_item": "برای این پرسش یک پاسخ انتخاب کنید.",
        "contact": "پرسشی دارید؟ با {name} تماس بگیرید، {phone}.",
    },
    "ti": {
        "met": "ሰላም! ኣብዚ ሰሙን ምስ {friend} ተራኺብኩም ዶ? 1 = እወ፣ 2 = ኣይፋል ኢልኩም መልሱ። መልእኽትታት ንምቁራጽ STOP ስደዱ። /{org}",
        "week": "ሰላም! ምስ {friend} ከመይ ይኸይድ ኣሎ? ካብ 1 (ጽቡቕ ኣይኮነን) ክሳብ 5 (ኣዝዩ ጽቡቕ) ቁጽሪ ስደዱ፣ "
        "ወይ ድማ ንሓሙሽተ ሓጻር ሕቶታት መልሱ፦ {link} /{org}",
        "exit": "ሰላም! ግዜኹም ምስ {friend} ተዛዚሙ ኣሎ። ከመይ ነይሩ? ካብ 1 (ጽቡቕ ኣይነበረን) ክሳብ 5 (ኣዝዩ ጽቡቕ) "
        "ቁጽሪ ስደዱ፣ ወይ ድማ ንክልተ ሕቶታት መልሱ፦ {link} /{org}",
        "thanks": "ስለ መልስኹም የቐንየልና! /{org}",
        "stopped": "ካብ {org} ተወሳኺ መልእኽቲ ኣይክመጸኩምን እዩ። እንደገና ክመጸኩም እንተደሊኹም START ስደዱ።",
        "started": "ካብ {org} እንደገና መልእኽቲ ክመጸኩም እዩ። ንምቁራጽ STOP ስደዱ።",
        "title_week": "ምስ {friend} ከመይ ይኸይድ ኣሎ?",
        "title_exit": "ግዜኹም ምስ {friend} ተዛዚሙ",
        "intro_week": "ንሓሙሽተ ሓጻር ሕቶታት መልሱ። ሓንቲ ደቒቕ ጥራይ እዩ ዝወስድ። መልስኹም ዝርኢ ኣወሃሃዲኹም ጥራይ እዩ።",
        "intro_exit": "ብዛዕባ ብሓባር ዘሕለፍኩምዎ ግዜ ክልተ ሕቶታት። መልስኹም ዝርኢ ኣወሃሃዲኹም ጥራይ እዩ።",
        "items": [
            "ክንራኸብ ከለና ጽቡቕ ግዜ ነሕልፍ።",
            "ምስ መሓዛይ ብዛዕባ ንዓይ ኣገዳሲ ዝኾነ ነገራት ክዛረብ ይኽእል እየ።",
            "ቃላት ኣብ ዘይኣኽልሉ እውን መሓዛይ ይርድኣኒ እዩ።",
            "ንዝመጽእ ርክብና ብሃንቀውታ እጽበዮ።",
            "ምስ መሓዛይ ውሕስነት ይስምዓኒ።",
        ],
        "points": ["ፈጺሙ ኣይሰማማዕን", "ብዙሕ ኣይሰማማዕን", "ብከፊል እሰማማዕ", "ብዙሕ እሰማማዕ", "ምሉእ ብምሉእ እሰማማዕ"],
        "exit_q1": "እዚ ርክብ ንዓኹም ክሳብ ክንደይ ጽቡቕ ነይሩ?",
        "exit_points": ["ፈጺሙ ጽቡቕ ኣይነበረን", "ብዙሕ ጽቡቕ ኣይነበረን", "ማእከላይ", "ጽቡቕ", "ኣዝዩ ጽቡቕ"],
        "exit_q2": "ርክብኩም ክትቅጽሉ ሓሲብኩም ዶ?",
        "keep": ["እወ", "ኣይፋል", "ኣይፈልጥን"],
        "submit": "መልስታት ስደዱ",
        "done": "የቐንየልና! መልስኹም ተዓቂቡ ኣሎ።",
        "already": "ድሮ መሊስኩም ኢኹም። የቐንየልና!",
        "expired": "እዚ መላግቦ ደጊም ኣይሰርሕን። ክትምልሱ እንተደሊኹም ንኣወሃሃዲኹም ተወከሱ።",
        "error_title": "ክእረም ዘለዎ ነገር ኣሎ",
        "error_item": "ነዚ ሕቶ ሓደ መልሲ ምረጹ።",
        "contact": "ሕቶ ኣለኩም ዶ? ን{name} ደውሉ፣ {phone}።",
    },
    "so": {
        "met": "Salaan! Ma la kulantay {friend} toddobaadkan? Ku jawaab 1 = haa, 2 = maya. "
        "Soo dir STOP si fariimaha loo joojiyo. /{org}",
        "week": "Salaan! Sidee wax ugu socdaan adiga iyo {friend}? Soo dir lambar 1 (ma fiicna) ilaa 5 (aad u fiican), "
        "ama ka jawaab shan su'aalood oo gaagaaban: {link} /{org}",
        "exit": "Salaan! Waqtigii aad la qaadatay {friend} wuu dhammaaday. Sidee buu ahaa? Soo dir lambar 1 (ma fiicnayn) "
        "ilaa 5 (aad u fiicnaa), ama ka jawaab laba su'aalood: {link} /{org}",
        "thanks": "Waad ku mahadsan tahay jawaabtaada! /{org}",
        "stopped": "Fariimo kale kaama iman doonaan {org}. Soo dir START haddii aad rabto inaad mar kale hesho.",
        "started": "Mar kale ayaad fariimo ka heli doontaa {org}. Soo dir STOP si aad u joojiso.",
        "title_week": "Sidee wax ugu socdaan adiga iyo {friend}?",
        "title_exit": "Waqtigii aad la qaadatay {friend} wuu dhammaaday",
        "intro_week": "Ka jawaab shan su'aalood oo gaagaaban. Waxay qaadanaysaa hal daqiiqo. "
        "Isku-duwahaaga oo keliya ayaa arka jawaabahaaga.",
        "intro_exit": "Laba su'aalood oo ku saabsan waqtigii aad wada qaadateen. "
        "Isku-duwahaaga oo keliya ayaa arka jawaabahaaga.",
        "items": [
            "Waan ku raaxaysannaa markaan kulanno.",
            "Waxaan saaxiibkay kala hadli karaa waxyaabaha muhiimka ii ah.",
            "Saaxiibkay wuu i fahmaa, xitaa marka erayadu aanay ku filnayn.",
            "Waxaan xiiso u qabaa kulankeena xiga.",
            "Waxaan dareemaa ammaan marka aan la joogo saaxiibkay.",
        ],
        "points": [
            "Gabi ahaanba ma saxna",
            "Inta badan ma saxna",
            "Qayb ahaan waa sax",
            "Inta badan waa sax",
            "Gabi ahaanba waa sax",
        ],  # fmt: skip
        "exit_q1": "Intee in le'eg ayuu kuu fiicnaa wakhtigii aad wada qaadateen?",
        "exit_points": [
            "Haba yaraatee ma fiicnayn",
            "Aad uma fiicnayn",
            "Dhexdhexaad",
            "Wuu fiicnaa",
            "Aad buu u fiicnaa",
        ],  # fmt: skip
        "exit_q2": "Ma doonaysaan inaad xiriirka sii wadataan?",
        "keep": ["Haa", "Maya", "Ma garanayo"],
        "submit": "Dir jawaabaha",
        "done": "Mahadsanid! Jawaabahaaga waa la kaydiyay.",
        "already": "Horay ayaad u jawaabtay. Mahadsanid!",
        "expired": "Link-gani hadda ma shaqeeyo. La xiriir isku-duwahaaga haddii aad rabto inaad jawaabto.",
        "error_title": "Waxaa jira wax u baahan in la saxo",
        "error_item": "Dooro jawaab su'aashan.",
        "contact": "Su'aalo ma qabtaa? Wac {name}, {phone}.",
    },
    "uk": {
        "met": "Вітаємо! Ви зустрічалися з {friend} цього тижня? Відповідь: 1 = так, 2 = ні. "
        "Надішліть STOP, щоб більше не отримувати повідомлень. /{org}",
        "week": "Вітаємо! Як у вас справи з {friend}? Надішліть цифру від 1 (погано) до 5 (дуже добре) "
        "або дайте відповідь на п'ять коротких запитань: {link} /{org}",
        "exit": "Вітаємо! Час ваших зустрічей з {friend} завершився. Як усе минуло? Надішліть цифру від 1 (погано) "
        "до 5 (дуже добре) або дайте відповідь на два запитання: {link} /{org}",
        "thanks": "Дякуємо за відповідь! /{org}",
        "stopped": "Ви більше не отримуватимете повідомлень від {org}. Надішліть START, якщо захочете отримувати їх знову.",
        "started": "Ви знову отримуватимете повідомлення від {org}. Надішліть STOP, щоб припинити.",
        "title_week": "Як у вас справи з {friend}?",
        "title_exit": "Час ваших зустрічей з {friend} завершився",
        "intro_week": "Дайте відповідь на п'ять коротких запитань. Це займе хвилину. Ваші відповіді бачить лише ваш координатор.",
        "intro_exit": "Два запитання про час, який ви провели разом. Ваші відповіді бачить лише ваш координатор.",
        "items": [
            "Нам добре, коли ми зустрічаємося.",
            "Я можу говорити зі своїм другом про те, що для мене важливо.",
            "Мій друг розуміє мене, навіть коли бракує слів.",
            "Я з нетерпінням чекаю нашої наступної зустрічі.",
            "Я почуваюся в безпеці зі своїм другом.",
        ],
        "points": ["Зовсім не так", "Скоріше ні", "Частково так", "Здебільшого так", "Цілком так"],
        "exit_q1": "Наскільки добре для вас склалося це знайомство?",
        "exit_points": ["Зовсім погано", "Не дуже добре", "Посередньо", "Добре", "Дуже добре"],
        "exit_q2": "Чи плануєте ви й надалі підтримувати зв'язок?",
        "keep": ["Так", "Ні", "Не знаю"],
        "submit": "Надіслати відповіді",
        "done": "Дякуємо! Ваші відповіді збережено.",
        "already": "Ви вже відповіли. Дякуємо!",
        "expired": "Це посилання більше не дійсне. Зверніться до свого координатора, якщо хочете відповісти.",
        "error_title": "Дещо потрібно виправити",
        "error_item": "Виберіть відповідь на це запитання.",
        "contact": "Є запитання? Зателефонуйте: {name}, {phone}.",
    },
}
LANGUAGES = tuple(TEXTS)


def language_for(*candidates: str) -> str:
    """The first of `candidates` (her notice language, then her languages in her order) that we
    write in; Swedish when none is."""
    for code in candidates:
        if code in TEXTS:
            return code
    return "sv"


def texts(language: str) -> Texts:
    return TEXTS.get(language, TEXTS["sv"])
