"""Morocco's 12 regions (2015 division), their provinces and prefectures, and main communes.

Names are the official ones in Latin and Arabic script. The codes (`01`, `01-01`, `01-01-1`)
are this project's own, not the official geographic codes. `weight` is a rough population in
thousands (2014 census order of magnitude), used to spread the synthetic population; `offices`
are CIN letter prefixes given to an issuing office in that province (illustrative).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    """A region, a province or a commune, named in both scripts."""

    code: str
    latin: str
    arabic: str


@dataclass(frozen=True, slots=True)
class Province:
    """A province or prefecture with its communes, population weight and CIN prefixes."""

    code: str
    latin: str
    arabic: str
    weight: int
    communes: tuple[Place, ...]
    offices: tuple[str, ...] = ()


REGIONS: tuple[Place, ...] = (
    Place("01", "Tanger-Tétouan-Al Hoceïma", "طنجة - تطوان - الحسيمة"),
    Place("02", "L'Oriental", "الشرق"),
    Place("03", "Fès-Meknès", "فاس - مكناس"),
    Place("04", "Rabat-Salé-Kénitra", "الرباط - سلا - القنيطرة"),
    Place("05", "Béni Mellal-Khénifra", "بني ملال - خنيفرة"),
    Place("06", "Casablanca-Settat", "الدار البيضاء - سطات"),
    Place("07", "Marrakech-Safi", "مراكش - آسفي"),
    Place("08", "Drâa-Tafilalet", "درعة - تافيلالت"),
    Place("09", "Souss-Massa", "سوس - ماسة"),
    Place("10", "Guelmim-Oued Noun", "كلميم - واد نون"),
    Place("11", "Laâyoune-Sakia El Hamra", "العيون - الساقية الحمراء"),
    Place("12", "Dakhla-Oued Ed-Dahab", "الداخلة - وادي الذهب"),
)

# (region, province code, Latin, Arabic, weight, CIN prefixes, communes as (Latin, Arabic))
_RAW: tuple[tuple[str, str, str, str, int, tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    (
        "01",
        "01",
        "Tanger-Assilah",
        "طنجة - أصيلة",
        1065,
        ("K", "KB"),
        (("Tanger", "طنجة"), ("Assilah", "أصيلة"), ("Gzenaya", "اكزناية")),
    ),
    (
        "01",
        "02",
        "M'diq-Fnideq",
        "المضيق - الفنيدق",
        210,
        (),
        (("M'diq", "المضيق"), ("Fnideq", "الفنيدق"), ("Martil", "مرتيل")),
    ),
    ("01", "03", "Tétouan", "تطوان", 550, ("L",), (("Tétouan", "تطوان"), ("Oued Laou", "واد لاو"))),
    ("01", "04", "Fahs-Anjra", "الفحص - أنجرة", 76, (), (("Ksar Sghir", "القصر الصغير"),)),
    (
        "01",
        "05",
        "Larache",
        "العرائش",
        496,
        ("LA",),
        (("Larache", "العرائش"), ("Ksar El Kébir", "القصر الكبير")),
    ),
    (
        "01",
        "06",
        "Al Hoceïma",
        "الحسيمة",
        399,
        ("R",),
        (("Al Hoceïma", "الحسيمة"), ("Imzouren", "إمزورن")),
    ),
    ("01", "07", "Chefchaouen", "شفشاون", 457, (), (("Chefchaouen", "شفشاون"),)),
    ("01", "08", "Ouezzane", "وزان", 300, (), (("Ouezzane", "وزان"),)),
    ("02", "01", "Oujda-Angad", "وجدة - أنكاد", 551, ("F", "FA"), (("Oujda", "وجدة"),)),
    (
        "02",
        "02",
        "Nador",
        "الناظور",
        565,
        ("S",),
        (("Nador", "الناظور"), ("Zeghanghane", "زغنغن"), ("Selouane", "سلوان")),
    ),
    ("02", "03", "Driouch", "الدريوش", 211, (), (("Driouch", "الدريوش"),)),
    ("02", "04", "Jerada", "جرادة", 108, (), (("Jerada", "جرادة"),)),
    ("02", "05", "Berkane", "بركان", 289, ("FB",), (("Berkane", "بركان"), ("Saïdia", "السعيدية"))),
    ("02", "06", "Taourirt", "تاوريرت", 229, (), (("Taourirt", "تاوريرت"),)),
    ("02", "07", "Guercif", "جرسيف", 216, (), (("Guercif", "جرسيف"),)),
    ("02", "08", "Figuig", "فجيج", 138, (), (("Bouarfa", "بوعرفة"), ("Figuig", "فجيج"))),
    ("03", "01", "Fès", "فاس", 1150, ("C", "CD"), (("Fès", "فاس"),)),
    ("03", "02", "Meknès", "مكناس", 835, ("D", "DA"), (("Meknès", "مكناس"),)),
    ("03", "03", "El Hajeb", "الحاجب", 247, (), (("El Hajeb", "الحاجب"),)),
    ("03", "04", "Ifrane", "إفران", 155, (), (("Azrou", "أزرو"), ("Ifrane", "إفران"))),
    ("03", "05", "Moulay Yacoub", "مولاي يعقوب", 174, (), (("Moulay Yacoub", "مولاي يعقوب"),)),
    ("03", "06", "Sefrou", "صفرو", 286, (), (("Sefrou", "صفرو"),)),
    ("03", "07", "Boulemane", "بولمان", 197, (), (("Missour", "ميسور"),)),
    ("03", "08", "Taounate", "تاونات", 663, (), (("Taounate", "تاونات"),)),
    ("03", "09", "Taza", "تازة", 528, ("Z",), (("Taza", "تازة"),)),
    ("04", "01", "Rabat", "الرباط", 577, ("A", "AB"), (("Rabat", "الرباط"),)),
    ("04", "02", "Salé", "سلا", 982, ("AE",), (("Salé", "سلا"),)),
    (
        "04",
        "03",
        "Skhirate-Témara",
        "الصخيرات - تمارة",
        574,
        ("AD",),
        (("Témara", "تمارة"), ("Skhirate", "الصخيرات")),
    ),
    (
        "04",
        "04",
        "Kénitra",
        "القنيطرة",
        1062,
        ("G", "GA"),
        (("Kénitra", "القنيطرة"), ("Mehdia", "المهدية")),
    ),
    (
        "04",
        "05",
        "Khémisset",
        "الخميسات",
        542,
        ("X",),
        (("Khémisset", "الخميسات"), ("Tiflet", "تيفلت")),
    ),
    ("04", "06", "Sidi Kacem", "سيدي قاسم", 522, (), (("Sidi Kacem", "سيدي قاسم"),)),
    ("04", "07", "Sidi Slimane", "سيدي سليمان", 320, (), (("Sidi Slimane", "سيدي سليمان"),)),
    (
        "05",
        "01",
        "Béni Mellal",
        "بني ملال",
        550,
        ("I",),
        (("Béni Mellal", "بني ملال"), ("Kasba Tadla", "قصبة تادلة")),
    ),
    ("05", "02", "Azilal", "أزيلال", 554, (), (("Azilal", "أزيلال"), ("Demnate", "دمنات"))),
    (
        "05",
        "03",
        "Fquih Ben Salah",
        "الفقيه بن صالح",
        502,
        (),
        (("Fquih Ben Salah", "الفقيه بن صالح"),),
    ),
    ("05", "04", "Khénifra", "خنيفرة", 371, ("T",), (("Khénifra", "خنيفرة"),)),
    (
        "05",
        "05",
        "Khouribga",
        "خريبكة",
        542,
        ("Q",),
        (("Khouribga", "خريبكة"), ("Oued Zem", "وادي زم")),
    ),
    (
        "06",
        "01",
        "Casablanca",
        "الدار البيضاء",
        3360,
        ("B", "BA", "BB", "BE", "BH", "BJ", "BK", "BL", "BM"),
        (("Casablanca", "الدار البيضاء"),),
    ),
    ("06", "02", "Mohammédia", "المحمدية", 404, ("W",), (("Mohammédia", "المحمدية"),)),
    (
        "06",
        "03",
        "El Jadida",
        "الجديدة",
        786,
        ("N",),
        (("El Jadida", "الجديدة"), ("Azemmour", "أزمور")),
    ),
    (
        "06",
        "04",
        "Nouaceur",
        "النواصر",
        333,
        ("BW",),
        (("Dar Bouazza", "دار بوعزة"), ("Bouskoura", "بوسكورة")),
    ),
    ("06", "05", "Médiouna", "مديونة", 172, (), (("Médiouna", "مديونة"),)),
    ("06", "06", "Benslimane", "بنسليمان", 233, (), (("Benslimane", "بنسليمان"),)),
    ("06", "07", "Berrechid", "برشيد", 484, ("MC",), (("Berrechid", "برشيد"),)),
    ("06", "08", "Settat", "سطات", 634, ("M",), (("Settat", "سطات"),)),
    ("06", "09", "Sidi Bennour", "سيدي بنور", 452, (), (("Sidi Bennour", "سيدي بنور"),)),
    ("07", "01", "Marrakech", "مراكش", 1330, ("E", "EE"), (("Marrakech", "مراكش"),)),
    ("07", "02", "Chichaoua", "شيشاوة", 370, (), (("Chichaoua", "شيشاوة"),)),
    ("07", "03", "Al Haouz", "الحوز", 573, (), (("Tahannaout", "تحناوت"), ("Amizmiz", "أمزميز"))),
    (
        "07",
        "04",
        "El Kelâa des Sraghna",
        "قلعة السراغنة",
        537,
        ("EA",),
        (("El Kelâa des Sraghna", "قلعة السراغنة"),),
    ),
    ("07", "05", "Essaouira", "الصويرة", 450, (), (("Essaouira", "الصويرة"),)),
    ("07", "06", "Rehamna", "الرحامنة", 315, (), (("Ben Guerir", "ابن جرير"),)),
    ("07", "07", "Safi", "آسفي", 691, ("H",), (("Safi", "آسفي"),)),
    ("07", "08", "Youssoufia", "اليوسفية", 251, (), (("Youssoufia", "اليوسفية"),)),
    (
        "08",
        "01",
        "Errachidia",
        "الرشيدية",
        418,
        ("U",),
        (("Errachidia", "الرشيدية"), ("Erfoud", "أرفود")),
    ),
    ("08", "02", "Ouarzazate", "ورزازات", 297, ("V",), (("Ouarzazate", "ورزازات"),)),
    ("08", "03", "Midelt", "ميدلت", 289, (), (("Midelt", "ميدلت"),)),
    ("08", "04", "Tinghir", "تنغير", 322, (), (("Tinghir", "تنغير"),)),
    ("08", "05", "Zagora", "زاكورة", 310, (), (("Zagora", "زاكورة"),)),
    ("09", "01", "Agadir Ida-Outanane", "أكادير إدا وتنان", 600, ("J",), (("Agadir", "أكادير"),)),
    (
        "09",
        "02",
        "Inezgane-Aït Melloul",
        "إنزكان - أيت ملول",
        542,
        ("JB",),
        (("Inezgane", "إنزكان"), ("Aït Melloul", "أيت ملول")),
    ),
    ("09", "03", "Chtouka-Aït Baha", "اشتوكة - أيت باها", 371, (), (("Biougra", "بيوكرى"),)),
    ("09", "04", "Taroudannt", "تارودانت", 838, ("JC",), (("Taroudannt", "تارودانت"),)),
    ("09", "05", "Tiznit", "تيزنيت", 207, ("JE",), (("Tiznit", "تيزنيت"),)),
    ("09", "06", "Tata", "طاطا", 117, (), (("Tata", "طاطا"),)),
    ("10", "01", "Guelmim", "كلميم", 187, ("JF",), (("Guelmim", "كلميم"),)),
    ("10", "02", "Assa-Zag", "آسا - الزاك", 44, (), (("Assa", "آسا"),)),
    ("10", "03", "Tan-Tan", "طانطان", 86, (), (("Tan-Tan", "طانطان"),)),
    ("10", "04", "Sidi Ifni", "سيدي إفني", 115, (), (("Sidi Ifni", "سيدي إفني"),)),
    ("11", "01", "Laâyoune", "العيون", 233, ("SH",), (("Laâyoune", "العيون"),)),
    ("11", "02", "Boujdour", "بوجدور", 51, (), (("Boujdour", "بوجدور"),)),
    ("11", "03", "Tarfaya", "طرفاية", 19, (), (("Tarfaya", "طرفاية"),)),
    ("11", "04", "Es-Semara", "السمارة", 60, (), (("Es-Semara", "السمارة"),)),
    ("12", "01", "Oued Ed-Dahab", "وادي الذهب", 115, ("SJ",), (("Dakhla", "الداخلة"),)),
    ("12", "02", "Aousserd", "أوسرد", 28, (), (("Aousserd", "أوسرد"),)),
)


def _build() -> tuple[Province, ...]:
    provinces = []
    for region, number, latin, arabic, weight, offices, communes in _RAW:
        code = f"{region}-{number}"
        provinces.append(
            Province(
                code=code,
                latin=latin,
                arabic=arabic,
                weight=weight,
                communes=tuple(
                    Place(f"{code}-{i}", c_latin, c_arabic)
                    for i, (c_latin, c_arabic) in enumerate(communes, 1)
                ),
                offices=offices,
            )
        )
    return tuple(provinces)


PROVINCES: tuple[Province, ...] = _build()
REGION_BY_CODE: dict[str, Place] = {r.code: r for r in REGIONS}
PROVINCE_BY_CODE: dict[str, Province] = {p.code: p for p in PROVINCES}
COMMUNE_BY_CODE: dict[str, Place] = {c.code: c for p in PROVINCES for c in p.communes}
# Every CIN prefix with the province of its issuing office; prefixes are distinct.
OFFICES: tuple[tuple[str, Province], ...] = tuple(
    (prefix, province) for province in PROVINCES for prefix in province.offices
)


def region_of(province_code: str) -> Place:
    """The region a province belongs to."""
    return REGION_BY_CODE[province_code.split("-")[0]]


def province_of(commune_code: str) -> Province:
    """The province a commune belongs to."""
    return PROVINCE_BY_CODE[commune_code.rsplit("-", 1)[0]]
