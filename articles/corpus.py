"""A synthetic corpus for benchmarks: published articles of realistic length, sources,
languages and dates, tagged with the gazetteer's entities on a skewed (Zipf-like) spread.

The text is assembled from sentence templates of this beat, and every tagged entity's name
(sometimes an alias) really occurs in it, as often as its mention count says, so that the
tagger and full-text search find what the tags claim. The templates never name an entity
themselves, nor form a longer name with the one put into them (tests check this with the
tagger).

Article ``n`` comes from its own random stream seeded by ``(seed, n)``: the same seed gives
the same articles whatever the batch size or number of workers, and topping a corpus up
later gives the articles one larger run would have. Synthetic rows are marked by their
``source_file`` (``synthetic/<n>.md``) so they can be told apart and removed.
"""

import datetime
import math
import queue
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import Alias, Article, Entity, Mention
from .tagging import name_key

SYNTHETIC_PREFIX = "synthetic/"
DEFAULT_BATCH_SIZE = 2_000

FIRST_DAY = datetime.datetime(2021, 8, 1, tzinfo=datetime.UTC)
LAST_DAY = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)  # exclusive
# Coverage thickens once the border war breaks out.
ESCALATION = datetime.datetime(2025, 10, 1, tzinfo=datetime.UTC)
ESCALATION_SHARE = 0.3
# Body length in words: 300 to 1,500, most stories 400 to 700 (a beta distribution, mean ~650).
MIN_WORDS, MAX_WORDS = 300, 1_460
LENGTH_SHAPE = (1.3, 3.2)

# Share of articles tagged with the three entities nearly every story of this beat names.
CORE_SHARES = {"afghanistan": 0.82, "pakistan": 0.78, "taliban": 0.62}
# The others, most often named first (by slug); unlisted entities follow by kind and slug.
PROMINENCE = (
    "tehrik-i-taliban-pakistan", "kabul", "islamabad", "durand-line", "torkham",
    "pakistani-armed-forces", "khyber-pakhtunkhwa", "zabihullah-mujahid",
    "pakistani-deportations-of-afghans", "shehbaz-sharif", "asim-munir", "balochistan",
    "amir-khan-muttaqi", "khawaja-asif", "kandahar", "peshawar", "chaman", "khost",
    "spin-boldak", "nangarhar", "october-2025-border-clashes", "unhcr", "kunar", "paktika",
    "inter-services-public-relations", "doha-ceasefire-2025", "doha", "qatar",
    "hibatullah-akhundzada", "islamic-state-khorasan-province", "baloch-liberation-army",
    "quetta", "north-waziristan", "kurram", "bajaur", "fall-of-kabul-2021", "ishaq-dar",
    "october-2025-pakistani-strikes-on-kabul", "istanbul-peace-talks-2025", "istanbul",
    "turkiye", "sirajuddin-haqqani", "haqqani-network", "unama", "imran-khan",
    "pakistan-tehreek-e-insaf", "inter-services-intelligence", "jalalabad",
    "south-waziristan", "border-crossings-closure-october-2025",
    "late-november-2025-border-clashes", "doha-agreement-2020", "saudi-arabia", "riyadh",
    "ashraf-ghani", "hamid-karzai", "jaffar-express-hijacking", "faiz-hameed",
    "islamic-republic-of-afghanistan", "khyber-pass",
)  # fmt: skip
# Zipf-Mandelbrot shares for the others: the most prominent is in HEAD_SHARE of the
# articles, the least in TAIL_SHARE (a handful in 100,000); the offset flattens the head.
HEAD_SHARE, TAIL_SHARE, ZIPF_OFFSET = 0.4, 0.0002, 5
ALIAS_SHARE = 0.15

SOURCES = {
    "en": {
        "Dawn": 16, "TOLOnews": 13, "The Express Tribune": 11, "Reuters": 10, "Pajhwok": 9,
        "Al Jazeera": 8, "DW": 7, "Geo News": 7, "AP": 5, "BBC": 5, "Khaama Press": 4,
        "Amu TV": 3,
    },
    "fa": {"TOLOnews": 4, "Amu TV": 3, "BBC": 2, "DW": 2, "Pajhwok": 2},
    "ps": {"Pajhwok": 4, "TOLOnews": 3, "BBC": 2, "DW": 2, "Amu TV": 1},
    "ur": {"Geo News": 4, "BBC": 3, "DW": 2, "The Express Tribune": 1},
}  # fmt: skip
LANGUAGE_SHARES = {"fa": 0.02, "ps": 0.015, "ur": 0.01}  # the rest English
BYLINES = ("Staff Reporter", "News Desk", "Web Desk", "Our Correspondent", "Monitoring Desk")

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")

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
NATIVE = {"fa": DARI, "ur": URDU, "ps": PASHTO}
# How often each topic is an article's main (or second) topic.
TOPIC_WEIGHTS = {
    "clashes": 30, "militancy": 20, "trade": 15, "returnees": 15, "diplomacy": 12,
    "humanitarian": 8, "politics": 8,
}  # fmt: skip
# Shares of an article's other sentences: main topic, second topic, general voices.
TOPIC_MIX = (0.55, 0.88, 1.0)
WORDS_PER_SENTENCE = {"en": 16, "fa": 8, "ur": 10, "ps": 8}


@dataclass(frozen=True)
class CorpusEntity:
    """A gazetteer entity as the generator uses it."""

    id: int
    kind: str
    slug: str
    name: str
    aliases: tuple[str, ...]  # in Latin script
    native_names: tuple[str, ...]  # in Arabic script


@dataclass
class GeneratedArticle:
    fields: dict
    mentions: Counter  # entity id → times named in title, standfirst and body


@dataclass
class GenerationReport:
    created: int = 0
    deleted: int = 0
    mentions: int = 0
    first_number: int = 0
    workers: int = 1
    seconds: float = 0.0

    @property
    def last_number(self) -> int:
        return self.first_number + self.created - 1


class NoGazetteer(Exception):
    """The database has no entities to tag the corpus with."""


def zipf_shares(count: int) -> list[float]:
    """Zipf-Mandelbrot shares for ``count`` ranks, from HEAD_SHARE down to TAIL_SHARE."""
    if count < 2:
        return [HEAD_SHARE] * count
    exponent = math.log(HEAD_SHARE / TAIL_SHARE) / math.log(
        (count + ZIPF_OFFSET) / (1 + ZIPF_OFFSET)
    )
    scale = HEAD_SHARE * (1 + ZIPF_OFFSET) ** exponent
    return [scale / (rank + ZIPF_OFFSET) ** exponent for rank in range(1, count + 1)]


def english_form(kind: str, name: str) -> str:
    """The name as a sentence uses it: "the Taliban", "the Durand Line", "Kabul"."""
    if kind == Entity.Kind.ORGANISATION:
        is_acronym = not any(c.islower() for c in name)
        if is_acronym or name.startswith(("Tehr", "Pakistan Tehr", "Deutsche", "Fitna")):
            return name
        return f"the {name}"
    if kind == Entity.Kind.PLACE and (
        name.split()[-1] in {"Line", "Pass", "crossing", "district", "Agency", "Province"}
        or name.startswith(("Islamic Republic", "Kingdom", "State of", "Republic of"))
    ):
        return f"the {name}"
    return name


def taggable(name: str) -> bool:
    """Whether the tagger can find ``name`` in a text. It looks a match up by folding the
    already folded text again, so a name whose folded form folds differently a second time
    (Arabic-script names with a hamza on yeh, "ئ": "کوئٹہ") is never found; the generator
    leaves such spellings out."""
    key = name_key(name)
    return bool(key) and name_key(key) == key


class _Filler(dict):
    """Fills a template: ``{e}`` with the name given, other slots at random from FILLERS.
    The sentence starts with a capital even when the name does not ("the Taliban")."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __call__(self, template: str, name: str = "") -> str:
        if "{" not in template:  # most sentences: nothing to fill, already capitalised
            return template
        self["e"] = name
        text = template.format_map(self)
        return text[0].upper() + text[1:]

    def __missing__(self, key: str) -> str:
        value = self.rng.choice(FILLERS[key.lower()])
        return value[0].upper() + value[1:] if key[0].isupper() else value


class _Deck:
    """Draws templates without repeats until all have been used, then reshuffles."""

    def __init__(self, rng: random.Random, cards: Sequence[str]):
        self.rng, self.cards, self.left = rng, cards, []

    def draw(self) -> str:
        if not self.left:
            self.left = list(self.cards)
            self.rng.shuffle(self.left)
        return self.left.pop()


class CorpusGenerator:
    """Generates article ``n`` of the corpus for a seed; touches no database."""

    def __init__(self, entities: Sequence[CorpusEntity], seed: int = 0, now=None):
        if not entities:
            raise NoGazetteer("No entities to tag with: import the gazetteer first.")
        self.seed = seed
        by_slug = {e.slug: e for e in entities}
        self.core = [(by_slug[s], share) for s, share in CORE_SHARES.items() if s in by_slug]
        self.core_ids = {e.id for e, _ in self.core}
        prominence = {slug: rank for rank, slug in enumerate(PROMINENCE)}
        others = sorted(
            (e for e in entities if e.id not in self.core_ids),
            key=lambda e: (prominence.get(e.slug, len(prominence)), e.kind, e.slug),
        )
        self.ranked = list(zip(others, zipf_shares(len(others)), strict=True))
        self.rank_weights = [share for _, share in self.ranked]
        # Nothing dated after today, so every article is public at once (and the same
        # seed gives the same dates all day).
        today = (now or timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
        self.last_day = min(LAST_DAY, today)
        self.sources = {
            language: (list(weights), list(weights.values()))
            for language, weights in SOURCES.items()
        }

    @classmethod
    def from_database(cls, seed: int = 0) -> "CorpusGenerator":
        aliases: dict[int, list[str]] = {}
        for entity_id, name in Alias.objects.order_by("id").values_list("entity_id", "name"):
            aliases.setdefault(entity_id, []).append(name)
        entities = []
        for entity_id, kind, slug, name in Entity.objects.order_by("id").values_list(
            "id", "kind", "slug", "name"
        ):
            names = [a for a in aliases.get(entity_id, []) if taggable(a)]
            latin = tuple(a for a in names if not _ARABIC_SCRIPT.search(a))
            native = tuple(a for a in names if _ARABIC_SCRIPT.search(a))
            entities.append(CorpusEntity(entity_id, kind, slug, name, latin, native))
        return cls(entities, seed)

    def article(self, number: int) -> GeneratedArticle:
        rng = random.Random(f"{self.seed}/{number}")  # noqa: S311 (sample data, not secrets)
        language = self._language(rng)
        tagged = self._tags(rng, language)
        mentions: Counter = Counter()
        name = self._namer(rng, language, mentions)
        fill = _Filler(rng)
        vocabulary = ENGLISH if language == "en" else NATIVE[language]
        # The subject is the least prominent entity named: the story's own topic.
        subject = tagged[-1]
        if language == "en":
            title = fill(rng.choice(vocabulary["title"][subject.kind]), name(subject))
            other = rng.choice(tagged)
            standfirst = fill(rng.choice(vocabulary["standfirst"][other.kind]), name(other))
        else:
            title = fill(rng.choice(vocabulary["title"]), name(subject))
            other = rng.choice(tagged)
            standfirst = fill(rng.choice(self._templates(vocabulary, other.kind)), name(other))
        # Each entity is named 1 to 8 times in all (the core ones more); the body names it
        # as often as the title and standfirst have not.
        pending = []
        for entity in tagged:
            rate = 0.6 if entity.id in self.core_ids else 1.4
            wanted = 1 + min(7, int(rng.expovariate(rate)))
            pending += [entity] * max(0, wanted - mentions[entity.id])
        rng.shuffle(pending)
        body = self._body(rng, fill, vocabulary, language, pending, name)
        source_names, source_weights = self.sources[language]
        source = rng.choices(source_names, source_weights)[0]
        return GeneratedArticle(
            fields={
                "title": title,
                "slug": f"{slugify(title)[:150].strip('-') or 'article'}-{number}",
                "standfirst": standfirst,
                "body": body,
                "source_name": source,
                "byline": self._byline(rng, source),
                "language": language,
                "published_at": self._date(rng),
                "status": Article.Status.PUBLISHED,
                "source_file": f"{SYNTHETIC_PREFIX}{number}.md",
            },
            mentions=mentions,
        )

    @staticmethod
    def _language(rng: random.Random) -> str:
        roll = rng.random()
        for language, share in LANGUAGE_SHARES.items():
            roll -= share
            if roll < 0:
                return language
        return "en"

    def _tags(self, rng: random.Random, language: str) -> list[CorpusEntity]:
        """The core entities each by its share, the others each by its Zipf share, and
        always one besides the core: the story's own subject. Prominent ones first."""

        def usable(entity):  # other languages name only entities they have a name for
            return language == "en" or bool(entity.native_names)

        tagged = [e for e, share in self.core if usable(e) and rng.random() < share]
        others = [e for e, share in self.ranked if usable(e) and rng.random() < share]
        for _ in range(50 if self.ranked and not others else 0):
            candidate = rng.choices(self.ranked, self.rank_weights)[0][0]
            if usable(candidate):
                others.append(candidate)
                break
        if not tagged and not others:
            tagged = [self.core[0][0] if self.core else self.ranked[0][0]]
        return tagged + others

    @staticmethod
    def _namer(rng, language: str, mentions: Counter) -> Callable[[CorpusEntity], str]:
        """Names an entity as a text would (mostly by its name, sometimes by an alias) and
        counts the mention."""

        def name(entity: CorpusEntity) -> str:
            mentions[entity.id] += 1
            if language != "en":
                return rng.choice(entity.native_names)
            if entity.aliases and rng.random() < ALIAS_SHARE:
                return english_form(entity.kind, rng.choice(entity.aliases))
            return english_form(entity.kind, entity.name)

        return name

    @staticmethod
    def _templates(vocabulary: dict, kind: str) -> Sequence[str]:
        if vocabulary is ENGLISH:
            return vocabulary[kind]
        return vocabulary["place" if kind == Entity.Kind.PLACE else "actor"]

    def _body(self, rng, fill, vocabulary, language, pending, name) -> str:
        target = MIN_WORDS + int((MAX_WORDS - MIN_WORDS) * rng.betavariate(*LENGTH_SHAPE))
        per_sentence = WORDS_PER_SENTENCE[language]
        pools = self._pools(rng, vocabulary)
        paragraphs, paragraph, words = [], [], 0
        length = rng.randint(2, 5)
        while words < target or pending:
            # Spread the pending mentions over the sentences still to come.
            if pending and rng.random() * ((target - words) / per_sentence) < len(pending):
                entity = pending.pop()
                templates = self._templates(vocabulary, entity.kind)
                sentence = fill(rng.choice(templates), name(entity))
            else:
                roll = rng.random()
                deck = next(deck for share, deck in pools if roll < share)
                sentence = fill(deck.draw())
            paragraph.append(sentence)
            words += sentence.count(" ") + 1
            if len(paragraph) == length:
                paragraphs.append(" ".join(paragraph))
                paragraph, length = [], rng.randint(2, 5)
        if paragraph:
            paragraphs.append(" ".join(paragraph))
        # A few subheads, never first and never two in a row.
        slots = range(1, len(paragraphs))
        wanted = min(len(slots), rng.randint(1, 4), max(1, len(paragraphs) // 3))
        subheads = _Deck(rng, vocabulary["subheads"])
        for position in sorted(rng.sample(slots, wanted), reverse=True):
            paragraphs.insert(position, "## " + subheads.draw())
        return "\n\n".join(paragraphs)

    @staticmethod
    def _pools(rng, vocabulary) -> list[tuple[float, "_Deck"]]:
        """Where the article's other sentences come from: (cumulative share, deck)."""
        if "topics" not in vocabulary:
            return [(1.0, _Deck(rng, vocabulary["generic"]))]
        names, weights = list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values())
        main = rng.choices(names, weights)[0]
        others = [(n, w) for n, w in TOPIC_WEIGHTS.items() if n != main]
        second = rng.choices([n for n, _ in others], [w for _, w in others])[0]
        decks = [vocabulary["topics"][main], vocabulary["topics"][second], vocabulary["voices"]]
        return [(share, _Deck(rng, d)) for share, d in zip(TOPIC_MIX, decks, strict=True)]

    @staticmethod
    def _byline(rng, source: str) -> str:
        if source == "DW":  # DW signs with its desk's initials, as in the seed
            letters = "abcdefghijklmnoprstwz"
            return "/".join("".join(rng.choices(letters, k=rng.choice((2, 3)))) for _ in range(2))
        if source in {"Reuters", "AP", "Al Jazeera", "BBC"}:
            return f"{source} staff" if rng.random() < 0.5 else ""
        return rng.choice(BYLINES) if rng.random() < 0.6 else ""

    def _date(self, rng) -> datetime.datetime:
        start = ESCALATION if rng.random() < ESCALATION_SHARE else FIRST_DAY
        start = min(start, self.last_day - datetime.timedelta(days=1))
        day = start + (self.last_day - start) * rng.random()
        return day.replace(
            hour=rng.randint(4, 20), minute=rng.randrange(60), second=0, microsecond=0
        )


# Writing


def synthetic_articles():
    return Article.objects.filter(source_file__startswith=SYNTHETIC_PREFIX)


def synthetic_number(source_file: str) -> int | None:
    stem = source_file.removeprefix(SYNTHETIC_PREFIX).removesuffix(".md")
    return int(stem) if stem.isdigit() else None


def next_synthetic_number() -> int:
    existing = synthetic_articles().values_list("source_file", flat=True)
    return max(filter(None, map(synthetic_number, existing)), default=0) + 1


def delete_synthetic() -> int:
    """Deletes the synthetic articles and their tags; returns how many articles."""
    Mention.objects.filter(article__in=synthetic_articles()).delete()
    deleted, _ = synthetic_articles().only("pk").delete()
    return deleted


def write_batch(generator: CorpusGenerator, numbers: range) -> int:
    """Generates and inserts articles ``numbers`` with their tags; returns the tag count."""
    generated = [generator.article(n) for n in numbers]
    articles = Article.objects.bulk_create([Article(**g.fields) for g in generated])
    mentions = [
        Mention(article_id=article.pk, entity_id=entity_id, count=times, origin="text")
        for article, g in zip(articles, generated, strict=True)
        for entity_id, times in g.mentions.items()
    ]
    Mention.objects.bulk_create(mentions, batch_size=10_000)
    return len(mentions)


def generate_corpus(
    count: int,
    *,
    seed: int = 0,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> GenerationReport:
    """Creates ``count`` synthetic articles numbered after the existing ones, or instead of
    them with ``replace``.

    With one worker everything (the deletion too) happens in one transaction on the
    current connection. With more, worker threads insert the batches on their own
    connections, so that the database computes the search vectors on several cores. Each
    batch is then its own transaction, so that no worker holds a lock another one waits
    for across batches (a trigger updating a shared row would otherwise deadlock them);
    if a batch fails, the articles this run committed are deleted again before the error
    is raised. The deletion of --replace is committed first too. Inside a caller's
    transaction (tests) other connections would not see its data: one worker there.
    """
    started = time.perf_counter()
    generator = CorpusGenerator.from_database(seed)
    report = GenerationReport(workers=1 if connection.in_atomic_block else max(1, workers))
    lock = threading.Lock()

    def written(articles: int, mentions: int) -> None:
        with lock:
            report.created += articles
            report.mentions += mentions
            if progress:
                progress(report.created, count)

    with transaction.atomic():
        if replace:
            report.deleted = delete_synthetic()
        report.first_number = next_synthetic_number()
        batches = [
            range(start, min(start + batch_size, report.first_number + count))
            for start in range(report.first_number, report.first_number + count, batch_size)
        ]
        if report.workers == 1:
            for numbers in batches:
                written(len(numbers), write_batch(generator, numbers))
    if report.workers > 1:
        _write_in_parallel(generator, batches, report.workers, written)
    report.seconds = time.perf_counter() - started
    return report


def _write_in_parallel(generator, batches, workers: int, written) -> None:
    jobs: queue.SimpleQueue[range] = queue.SimpleQueue()
    for numbers in batches:
        jobs.put(numbers)
    failed = threading.Event()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            while not failed.is_set():
                try:
                    numbers = jobs.get_nowait()
                except queue.Empty:
                    break
                with transaction.atomic():
                    mentions = write_batch(generator, numbers)
                written(len(numbers), mentions)
        except BaseException as error:
            errors.append(error)
            failed.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=work, name=f"corpus-{i}") for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        for numbers in batches:  # undo the batches that were committed
            files = [f"{SYNTHETIC_PREFIX}{n}.md" for n in numbers]
            with transaction.atomic():
                Mention.objects.filter(article__source_file__in=files).delete()
                Article.objects.filter(source_file__in=files).only("pk").delete()
        raise errors[0]
