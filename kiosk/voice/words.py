"""The kiosk's own spoken words: commands, yes and no, ordinals and the dialogue's prompts.

Content brings the choices and their `say` synonyms; these are the words every screen
accepts on top, and what the dialogue says between screens, in each locale.
"""

from __future__ import annotations

#: Commands every screen understands, by name, with the phrases that mean them.
COMMANDS: dict[str, dict[str, tuple[str, ...]]] = {
    "zh-CN": {
        "back": ("返回", "上一步", "回去", "后退"),
        "repeat": ("重复", "再说一遍", "没听清", "再讲一遍"),
        "help": ("帮助", "帮忙", "怎么说", "不知道", "不清楚", "不确定", "听不懂"),
        "staff": ("人工", "工作人员", "找人", "叫人"),
        "home": ("首页", "主页", "回首页", "从头开始"),
        "next": ("继续", "下一步", "好的", "知道了"),
    },
    "en": {
        "back": ("back", "go back", "previous"),
        "repeat": ("repeat", "say again", "again"),
        "help": ("help", "what can i say", "not sure", "i'm not sure", "don't know", "i don't know"),
        "staff": ("staff", "a person", "call staff", "human"),
        "home": ("home", "start again", "main menu"),
        "next": ("next", "continue", "okay", "ok"),
    },
}

#: Yes and no. Longer phrases win over the ones they contain (不是 over 是, 没有 over 有).
YES_NO: dict[str, dict[bool, tuple[str, ...]]] = {
    "zh-CN": {
        True: ("是", "是的", "对", "对的", "有", "有的", "嗯", "好", "要", "需要", "请了", "已经",
               "领", "领了", "当然"),
        False: ("不是", "否", "不", "没有", "没", "不对", "不要", "不用", "没请", "不领", "不需要",
                "还没有", "没领"),
    },
    "en": {
        True: ("yes", "yeah", "yep", "right", "correct", "i have", "i do", "sure"),
        False: ("no", "nope", "not", "i have not", "i don't", "i do not", "wrong", "never"),
    },
}

ORDINALS: dict[str, tuple[tuple[str, ...], ...]] = {
    "zh-CN": tuple(
        (f"第{n}个", f"第{n}", f"{n}号") for n in "一二三四五六七八九十"
    ),
    "en": tuple(
        (f"the {w}", w, f"number {n}")
        for n, w in zip(
            ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
            ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"),
            strict=True,
        )
    ),
}

#: Number words a recogniser needs to hear amounts (grammar of number questions).
NUMBER_WORDS: dict[str, tuple[str, ...]] = {
    "zh-CN": (*"零一二两三四五六七八九十百千万点", "块", "元", "块钱", "人", "个", "口", "大概", "左右"),
    "en": (
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
        "eighty", "ninety", "hundred", "thousand", "and", "point", "yuan", "people", "about",
    ),
}

DATE_WORDS: dict[str, tuple[str, ...]] = {
    "zh-CN": ("年", "月", "日", "号", "今天", "昨天", "前天", "去年", "今年"),
    "en": ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december", "today", "yesterday"),
}

PROMPTS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "say_yes_no": "请说“是”或“不是”。",
        "say_choice": "请说：{options}。也可以说“第一个”、“第二个”。",
        "say_number": "请说一个数字{unit}。",
        "say_date": "请说日期，比如“二〇二四年三月五日”。",
        "say_next": "说“继续”往下走。",
        "options_read": "可以选：{options}。",
        "confirm": "您说的是：{answer}。对吗？请说“对”或“不对”。",
        "again": "没听清，请再说一遍。",
        "unsure": "我不太确定您说的是哪一个，请再说一遍。",
        "buttons": "请直接按屏幕上的按钮。",
        "help": "您可以说屏幕上的选项，也可以说“返回”、“重复”、“人工”或“首页”。",
        "search_ask": "请说您遇到了什么事。",
        "search_none": "没有找到合适的内容。请换个说法，或者按屏幕上的按钮。",
        "search_found": "找到这些：{options}。请说“第一个”、“第二个”或“第三个”。",
        "masked": "{label}已隐藏",
        "mic_off": "语音输入现在不能用，请按屏幕上的按钮。",
        "invalid": "{message}请再说一遍。",
    },
    "en": {
        "say_yes_no": "Say \u201cyes\u201d or \u201cno\u201d.",
        "say_choice": "Say: {options}. Or say \u201cthe first\u201d, \u201cthe second\u201d.",
        "say_number": "Say a number{unit}.",
        "say_date": "Say the date, for example \u201cMarch 5 2024\u201d.",
        "say_next": "Say \u201cnext\u201d to go on.",
        "options_read": "You can choose: {options}.",
        "confirm": "You said: {answer}. Is that right? Say \u201cyes\u201d or \u201cno\u201d.",
        "again": "Sorry, I did not catch that. Please say it again.",
        "unsure": "I am not sure which one you meant. Please say it again.",
        "buttons": "Please use the buttons on the screen.",
        "help": ("You can say one of the choices, or \u201cback\u201d, \u201crepeat\u201d, "
                 "\u201cstaff\u201d or \u201chome\u201d."),
        "search_ask": "Please say what happened.",
        "search_none": "I found nothing that fits. Try other words, or use the buttons.",
        "search_found": ("I found: {options}. Say \u201cthe first\u201d, \u201cthe second\u201d "
                         "or \u201cthe third\u201d."),
        "masked": "{label} hidden",
        "mic_off": "Voice input is not available now. Please use the buttons on the screen.",
        "invalid": "{message} Please say it again.",
    },
}


def lang(locale: str) -> str:
    """The word table for a locale: zh-* (and "yue", Cantonese read-aloud of the Chinese
    screens) speaks Chinese, anything else English."""
    return "zh-CN" if locale.startswith("zh") or locale == "yue" else "en"


def prompt(key: str, locale: str, **params: str) -> str:
    return PROMPTS[lang(locale)][key].format(**params)


def fixed_prompts(locale: str) -> list[str]:
    """Prompts without placeholders, for pre-rendering at start-up."""
    return [text for text in PROMPTS[lang(locale)].values() if "{" not in text]
