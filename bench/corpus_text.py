"""The words of the synthetic corpus (bench/corpus.py): sentence templates by topic,
in English, Dari, Urdu and Pashto, and the fillers for their slots."""

# English. ``{e}`` takes an entity's name (with "the" where English wants it); the other
# slots are filled from FILLERS, a capital first letter asking for a capitalised filler.
# No template names an entity, starts with a word that could continue a name ("Talks",
# "Military"…) or puts words before {e} that could start one ("fall of", "Pakistani
# strikes on"…).
FILLERS = {
    "official": (
        "a provincial police spokesman", "a senior border official", "a local elder",
        "a district health official", "an interior ministry spokesman", "a hospital director",
        "a foreign ministry spokeswoman", "a customs official", "a tribal leader",
        "a security analyst", "a former diplomat", "a refugee rights activist",
        "a military spokesman", "a trader at the crossing", "a provincial governor",
    ),
    "said": (
        "said", "told reporters", "said in a statement", "wrote on X",
        "told a news conference", "said by telephone",
    ),
    "num": (
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "a dozen",
        "at least 10", "at least 15", "more than 20", "nearly 30",
    ),
    "group": (
        "civilians", "soldiers", "border guards", "militants", "traders", "truck drivers",
        "villagers", "refugees", "children", "women", "students", "police officers",
    ),
    "time": (
        "on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday",
        "on Saturday", "on Sunday", "overnight", "late on Friday", "early on Sunday",
        "this week", "at dawn", "in the afternoon",
    ),
    "action": (
        "mortar fire", "artillery shelling", "a drone strike", "an airstrike",
        "a roadside bomb", "a suicide attack", "small-arms fire", "rocket fire",
        "an ambush", "heavy machine-gun fire",
    ),
    "goods": ("flour", "fuel", "medicine", "cooking oil", "fruit", "cement", "coal"),
    "big": ("10,000", "25,000", "40,000", "60,000", "a hundred thousand"),
    "clause": (
        "the situation was tense but under control",
        "more troops had been deployed to the area",
        "the crossing would stay closed until further notice",
        "negotiations would resume once calm returned",
        "the fighting had spread to several villages",
        "food and medicine were running short",
        "militants had fired on a checkpoint before dawn",
        "the border posts had come under heavy fire",
        "hundreds of families had been displaced",
        "aid convoys were unable to reach the area",
        "the attackers had crossed from the other side",
        "reinforcements were on their way",
        "a curfew had been imposed in several districts",
        "trade worth millions of dollars had been lost",
        "returnees were being registered at temporary camps",
        "the government was ready for dialogue but would defend its territory",
        "drones had been seen over the area for several days",
        "schools and clinics had been closed",
        "the death toll was expected to rise",
        "an investigation was under way",
    ),
}  # fmt: skip

ENGLISH = {
    # Most sentences come from the article's main topic and a second one, so that a word
    # is common in some stories and absent from others, as in real coverage.
    "topics": {
        "clashes": (
            "{Official} {said} that {num} {group} were killed and several wounded in "
            "{action} {time}.",
            "Residents described hours of {action} that forced families to shelter in "
            "basements.",
            "Officials on both sides traded accusations over who fired first.",
            "The violence is the latest in a series of deadly exchanges along the frontier.",
            "Witnesses said the shelling continued until the early hours of the morning.",
            "The exchange of fire lasted for several hours, {official} {said}.",
            "Funerals were held {time} for {num} {group} killed in the violence.",
            "Neither side's account could be independently verified.",
            "Casualty figures given by the two sides differ widely.",
            "{Official} {said} that frontier posts had come under heavy fire {time}.",
            "Mortar shells landed near a village school, damaging several classrooms.",
            "Troops were placed on high alert after the latest skirmish.",
            "Local hospitals appealed for blood donations as the wounded arrived.",
            "Both sides reinforced their positions along the ridgeline overnight.",
            "\u201cWe have lost everything,\u201d one resident said, standing beside the ruins "
            "of his shop.",
        ),
        "militancy": (
            "Militants stormed a police station before dawn, {official} {said}.",
            "{Num} {group} were killed when {action} hit a convoy on the main highway.",
            "Security forces launched a search operation in the surrounding hills {time}.",
            "The insurgents are believed to have crossed from hideouts across the frontier.",
            "Officials blamed the attack on fighters sheltering in remote mountain districts.",
            "A bomb disposal squad defused a second device found near the site.",
            "The attack was the deadliest in the region this year.",
            "Checkpoints were set up on roads leading out of the town after the assault.",
            "Investigators said the bomber had travelled from across the frontier.",
            "Intelligence-based operations have intensified in recent months, officials say.",
            "Analysts say the dispute over militant sanctuaries has poisoned relations between "
            "the two neighbours.",
            "The group has stepped up attacks on police and paramilitary posts.",
        ),
        "trade": (
            "The crossing has been closed to trade for days, leaving hundreds of trucks "
            "stranded on both sides.",
            "Prices of {goods} rose sharply in frontier markets as supplies dried up.",
            "Traders said they were losing thousands of dollars a day because of the closure.",
            "Trucks loaded with {goods} waited for days in the heat before turning back.",
            "Queues of trucks stretched for several kilometres on the highway.",
            "Exporters of {goods} said their cargo was spoiling at the gate.",
            "Customs officials said revenue from the crossing had fallen sharply.",
            "Transporters demanded compensation for goods spoiled during the closure.",
            "Bilateral trade has fallen by more than half since the tensions began.",
            "Money changers in the bazaar reported a sharp fall in business.",
            "The economic toll of the closures has been severe for a region already mired in "
            "poverty.",
            "Chambers of commerce on both sides urged the governments to keep trade separate "
            "from politics.",
        ),
        "returnees": (
            "Thousands of returnees have arrived in recent weeks with few belongings and "
            "little money.",
            "Many families said they had nowhere else to go.",
            "Returnees described being given only days to leave homes they had lived in for "
            "decades.",
            "Aid workers registered new arrivals at a transit camp near the crossing.",
            "Children born abroad are arriving in a country they have never seen.",
            "Officials said more than {big} people had crossed back in a single week.",
            "Rights groups criticised the pace of the expulsions and the treatment of families.",
            "Many returnees said they had lost their savings and businesses.",
            "Landlords demanded unpaid rent as families packed up to leave.",
            "Women and girls face particular hardship on return, aid agencies say.",
            "The returnees need shelter, jobs and schooling, {official} {said}.",
            "Temporary camps are struggling to cope with the numbers.",
        ),
        "diplomacy": (
            "Delegations from the two governments ended their meeting without a joint "
            "statement.",
            "A truce agreed earlier has largely held, though sporadic firing was reported "
            "{time}.",
            "Diplomats in the region have urged both sides to return to the negotiating table.",
            "Mediators are pressing both sides to agree a mechanism to verify complaints.",
            "Both governments say they want a peaceful settlement, but mistrust runs deep.",
            "The United Nations called on both sides to exercise restraint and protect "
            "civilians.",
            "A second round of negotiations is expected later this month.",
            "Envoys shuttled between the two capitals in an effort to ease tensions.",
            "The foreign ministry summoned the charg\u00e9 d'affaires to lodge a formal "
            "protest.",
            "Officials said a joint commission would meet to discuss frontier management.",
            "The dispute over the colonial-era frontier has never been settled.",
            "Regional powers have offered to host further rounds of dialogue.",
            "\u201cWe want peace, but we will not accept attacks on our soil,\u201d {official} "
            "{said}.",
        ),
        "humanitarian": (
            "Aid agencies warned that the humanitarian situation could worsen as winter "
            "approaches.",
            "Humanitarian workers described overcrowded camps with little shelter from the "
            "cold.",
            "Hospitals in the area reported receiving {num} wounded, most of them {group}.",
            "Mobile phone and internet services were suspended in parts of the region.",
            "Schools in the affected districts remained shut for a third day.",
            "Clinics reported shortages of basic medicines and fuel for generators.",
            "Food prices have doubled in some districts, {official} {said}.",
            "Cases of diarrhoea and respiratory infections are rising in the camps.",
            "The World Food Programme said it needed urgent funding to continue distributions.",
            "Donors have pledged emergency aid, but little has arrived so far.",
            "Thousands of people are sleeping in the open as temperatures fall.",
            "Health workers fear outbreaks of measles among displaced children.",
        ),
        "politics": (
            "The opposition accused the government of mishandling the crisis.",
            "Lawmakers demanded a briefing on the clashes in a stormy parliamentary session.",
            "Critics say the government's policy has isolated the country diplomatically.",
            "The government has promised compensation for damaged homes and shops.",
            "Observers warn that a wider conflict would be disastrous for a region already "
            "facing economic crisis.",
            "The ministry did not respond to a request for comment.",
            "Commentators on social media were divided over how the government should respond.",
            "The crisis has become a test for a government already facing economic troubles.",
            "Tribal leaders called a jirga to discuss the security situation.",
            "Editorials in leading newspapers urged restraint.",
            "An investigation into the incident has been ordered.",
            "Rights groups have called for an independent inquiry into the killing of {group}.",
        ),
    },
    "voices": (
        "{Official} {said} that {clause}.",
        "According to {official}, {clause}.",
        "{Official} {said} {time} that {clause}.",
        "The death toll could rise, {official} {said}.",
        "Local elders tried to mediate between the two sides, without success.",
        "There was no independent confirmation of the figures.",
    ),
    "place": (
        "Fighting was reported near {e} {time}.",
        "In {e}, shops and markets stayed closed as residents waited for news.",
        "{Official} in {e} {said} that {num} {group} had been killed.",
        "Hundreds of families fled {e} after the shelling began.",
        "Traffic through {e} resumed briefly before being halted again.",
        "Security was tightened across {e} after the attack.",
        "Protesters gathered in {e} to demand an end to the violence.",
        "The road to {e} was blocked by security forces for several hours.",
        "Refugees returning through {e} described long queues and little assistance.",
        "Residents of {e} said they had heard explosions {time}.",
        "Officials in {e} said the number of displaced people was growing.",
    ),
    "person": (
        "{e} {said} that the government would not tolerate attacks on its territory.",
        "\u201cWe will respond to any aggression,\u201d {e} {said}.",
        "{e} accused the other side of sheltering militants.",
        "In a statement, {e} called for calm and urged dialogue.",
        "{e} met tribal elders and commanders to discuss the situation.",
        "Critics of {e} say the approach has only deepened the crisis.",
        "{e} has not commented publicly on the latest clashes.",
        "According to people close to {e}, the meeting made little progress.",
        "{e} was expected to travel abroad for consultations later in the week.",
    ),
    "organisation": (
        "{e} denied any involvement in the attack.",
        "{e} said it had responded to provocations along the frontier.",
        "Fighters loyal to {e} were seen moving towards the frontier.",
        "A spokesman for {e} {said} the claims were baseless.",
        "{e} claimed responsibility for the attack in a message to journalists.",
        "The role of {e} in the violence has long been disputed.",
        "{e} has been accused of sheltering militants who cross the frontier.",
        "Officials said {e} had been warned repeatedly.",
    ),
    "event": (
        "The clashes revived memories of the {e}.",
        "Since the {e}, relations between the two neighbours have deteriorated.",
        "Analysts compared the situation to the {e}.",
        "Officials said the latest violence was the worst since the {e}.",
        "The {e} remains a point of contention between the two governments.",
    ),
    "title": {
        "place": (
            "Clashes erupt near {e} {time}",
            "{Num} {group} killed in {action} near {e}",
            "Trade in {goods} halted in {e} for a third day",
            "Families flee {e} after {action}",
            "Curfew imposed in {e} after {action}",
            "{Group} stranded in {e} as crossings stay shut",
            "Prices of {goods} soar in {e} as crossings stay shut",
            "Residents of {e} count the cost of {action}",
            "{Official} says {num} {group} killed near {e}",
            "Security tightened across {e} after {action}",
        ),
        "person": (
            "{e} warns of tough response after {action} kills {num} {group}",
            "{e} calls for dialogue as {group} flee frontier villages",
            "{e} rejects accusations over {action}",
            "{e} under pressure after {action} kills {num} {group}",
            "{e} vows to answer {action} on frontier posts",
            "{e} meets tribal elders as {group} flee frontier villages",
        ),
        "organisation": (
            "{e} denies role in {action} that killed {num} {group}",
            "{e} says it will not bow to foreign pressure after {action}",
            "{e} accused of sheltering militants behind {action}",
            "{e} blamed for {action} that killed {num} {group}",
            "{e} claims responsibility for {action} near the frontier",
            "{Official} accuses {e} of sheltering militants",
        ),
        "event": (
            "What the {e} changed for {group} on the frontier",
            "Years after the {e}, {group} count the cost",
            "Inquiry into the {e} stalls as {group} demand answers",
            "Survivors of the {e} demand answers",
        ),
    },
    "standfirst": {
        "place": (
            "Residents of {e} describe a night of {action} as tensions on the frontier rise "
            "again.",
            "Fighting near {e} has forced hundreds of families from their homes and halted "
            "trade.",
            "{Official} in {e} says {num} {group} were killed, as both sides trade blame.",
        ),
        "person": (
            "{e} says any attack will be answered, as mediators push for another round of "
            "negotiations.",
            "{e} faces questions at home as {group} bear the brunt of the violence.",
        ),
        "organisation": (
            "{e} denies sheltering militants, but officials across the frontier say the "
            "evidence is mounting.",
            "{e} says it acted in self-defence after {action} {time}.",
        ),
        "event": (
            "Months after the {e}, communities on both sides of the frontier are still "
            "counting the cost.",
            "The {e} still shapes how {group} on both sides see the frontier.",
        ),
    },
    "subheads": (
        "Rising tensions", "Trade at a standstill", "Civilians caught in the crossfire",
        "Diplomatic efforts", "A long-running dispute", "What comes next",
        "Returnees in need", "Accusations and denials", "Humanitarian concerns", "Reaction",
    ),
}  # fmt: skip

# Dari, Urdu and Pashto: fewer templates; {e} takes a name in Arabic script (the gazetteer
# has none for events, so these articles name places, people and organisations only).
DARI = {
    "generic": (
        "درگیری‌ها در امتداد مرز ادامه دارد.",
        "مقام‌های محلی گفتند که شماری از غیرنظامیان زخمی شده‌اند.",
        "به گفته منابع محلی، گذرگاه‌های مرزی همچنان بسته است.",
        "هزاران خانواده مجبور به ترک خانه‌های خود شده‌اند.",
        "سازمان‌های امدادی نسبت به وخامت وضعیت بشری هشدار دادند.",
        "تاجران می‌گویند که روزانه زیان‌های سنگینی متحمل می‌شوند.",
        "هیچ‌یک از این ادعاها به‌طور مستقل تأیید نشده است.",
        "باشندگان محل از صدای شلیک توپخانه در طول شب خبر دادند.",
        "قیمت آرد و سوخت در بازارهای مرزی افزایش یافته است.",
        "دو طرف یکدیگر را به آغاز درگیری متهم می‌کنند.",
    ),
    "place": (
        "در {e} بازارها و مکتب‌ها بسته ماندند.",
        "باشندگان {e} از افزایش ناامنی نگران هستند.",
        "صدها خانواده از {e} فرار کردند.",
        "نیروهای امنیتی تدابیر امنیتی را در {e} افزایش دادند.",
    ),
    "actor": (
        "{e} این اتهامات را رد کرد.",
        "{e} خواستار خویشتنداری و گفتگو شد.",
        "{e} گفت که به هرگونه تجاوز پاسخ خواهد داد.",
    ),
    "title": ("{e}: تنش‌ها در مرز افزایش یافت",),
    "subheads": ("وضعیت در مرز", "واکنش‌ها", "نگرانی‌های بشری"),
}
URDU = {
    "generic": (
        "سرحد پر جھڑپیں بدستور جاری ہیں۔",
        "مقامی حکام کے مطابق کئی شہری زخمی ہوئے ہیں۔",
        "سرحدی گزرگاہیں مسلسل بند ہیں۔",
        "ہزاروں خاندان اپنے گھر چھوڑنے پر مجبور ہو گئے ہیں۔",
        "امدادی اداروں نے انسانی صورتحال کے بگڑنے سے خبردار کیا ہے۔",
        "تاجروں کا کہنا ہے کہ انہیں روزانہ بھاری نقصان ہو رہا ہے۔",
        "ان دعووں کی آزادانہ تصدیق نہیں ہو سکی۔",
        "مقامی لوگوں نے رات بھر گولہ باری کی آوازیں سننے کی اطلاع دی۔",
        "سرحدی بازاروں میں آٹے اور ایندھن کی قیمتیں بڑھ گئی ہیں۔",
        "دونوں فریق ایک دوسرے پر لڑائی شروع کرنے کا الزام لگاتے ہیں۔",
    ),
    "place": (
        "{e} میں بازار اور اسکول بند رہے۔",
        "{e} کے رہائشی بڑھتی ہوئی بدامنی سے پریشان ہیں۔",
        "سینکڑوں خاندان {e} سے نقل مکانی کر گئے۔",
        "{e} میں سکیورٹی سخت کر دی گئی ہے۔",
    ),
    "actor": (
        "{e} نے ان الزامات کو مسترد کر دیا۔",
        "{e} نے تحمل اور مذاکرات کا مطالبہ کیا۔",
        "{e} نے کہا کہ کسی بھی جارحیت کا جواب دیا جائے گا۔",
    ),
    "title": ("{e}: سرحد پر کشیدگی میں اضافہ",),
    "subheads": ("سرحد کی صورتحال", "ردعمل", "انسانی خدشات"),
}
PASHTO = {
    "generic": (
        "په پوله نښتې لا هم روانې دي.",
        "سیمه ییزو چارواکو وویل چې یو شمېر ملکي وګړي ټپیان شوي دي.",
        "سرحدي لارې لا هم تړلې دي.",
        "زرګونه کورنۍ مجبورې شوې چې خپل کورونه پرېږدي.",
        "مرستندویه ادارو د بشري وضعیت د خرابېدو په اړه خبرداری ورکړ.",
        "سوداګر وايي چې هره ورځ درانه زیانونه ګالي.",
        "د دې ادعاوو خپلواک تایید نه دی شوی.",
        "سیمه والو د شپې له خوا د توپونو د ډزو غږونه اورېدلي.",
        "په سرحدي بازارونو کې د اوړو او تېلو بیې لوړې شوې دي.",
        "دواړه خواوې یو بل د جګړې په پیلولو تورنوي.",
    ),
    "place": (
        "په {e} کې بازارونه او ښوونځي تړلي پاتې شول.",
        "د {e} اوسېدونکي د ناامنۍ له زیاتوالي اندېښمن دي.",
        "سلګونه کورنۍ له {e} څخه وتښتېدې.",
        "په {e} کې امنیتي تدابیر سخت شوي دي.",
    ),
    "actor": (
        "{e} دا تورونه رد کړل.",
        "{e} د زغم او خبرو اترو غوښتنه وکړه.",
        "{e} وویل چې هر ډول تېري ته به ځواب ورکړل شي.",
    ),
    "title": ("{e}: په پوله کړکېچ زیات شو",),
    "subheads": ("په پوله وضعیت", "غبرګونونه", "بشري اندېښنې"),
}
NATIVE = {"fa-AF": DARI, "ur": URDU, "ps": PASHTO}
