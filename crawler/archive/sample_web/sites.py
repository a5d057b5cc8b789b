"""The sites of the sample web: one :class:`Site` per fictional community, and custom sites' prose.

Names, people and numbers are invented; each site echoes a kind of community the use-case article
names (see ``crawler/seeds/use_case.txt``). Sites are grouped by platform, faults last; the seed list and
the archive follow this order.
"""

from __future__ import annotations

from crawler.archive.sample_web.model import Custom, Site

# Activity curve shared by the forums whose online count rises steadily over the captures.
FORUM_DEFAULT_ACTIVITY = (1.0, 1.08, 1.15)

SITES: tuple[Site, ...] = (
    # Discourse ------------------------------------------------------------------------------------
    Site(
        "discuss.parlamondo.example", "discourse", "Parlamondo", "forum", ("it",),
        figures=dict(members=18_420, topics=9_310, posts=142_870, active_users_1d=212, active_users_7d=905,
                     active_users_30d=2_140, posts_7d=1_830, posts_30d=7_410, topics_7d=118, topics_30d=466),
        growth=0.045, version="3.2.1",
        description="Scambio linguistico tra italiani e persone di tutto il mondo. <script>alert(1)</script>",
    ),
    Site(
        "forumo.lingvoponto.example", "discourse", "Lingvo-Ponto", "forum", ("eo",),
        figures=dict(members=6_215, topics=3_870, posts=51_940, active_users_1d=38, active_users_7d=164,
                     active_users_30d=402, posts_7d=310, posts_30d=1_240, topics_7d=22, topics_30d=91),
        growth=0.02, activity=(1.0, 0.94, 1.03), version="2.8.14", old_keys=True,
        description="Forumo por esperantistoj kaj lernantoj: tandemoj, demandoj kaj babilado.",
    ),
    Site(
        "comunidad.hablamos.example", "discourse", "Hablamos", "forum", ("es",),
        figures=dict(members=31_760, topics=14_205, posts=263_118, active_users_1d=340, active_users_7d=1_512,
                     active_users_30d=3_980, posts_7d=2_904, posts_30d=11_870, topics_7d=201, topics_30d=812),
        growth=0.035, version="3.2.1", broken_paths=("/latest.json",),
        description="Comunidad de intercambio de idiomas en español: tándems, correcciones y charlas.",
        links_to=("wiki.hablamos.example",),
    ),
    # MediaWiki ------------------------------------------------------------------------------------
    Site(
        "pt.saberlivre.example", "mediawiki", "SaberLivre", "open_content_wiki", ("pt",),
        figures=dict(members=84_310, active_users_30d=1_962, edits=4_518_220, articles=121_455, pages=402_310),
        growth=0.012, version="1.41.0", crawl_delay=2,
        licence="CC-BY-SA-4.0", licence_url="//creativecommons.org/licenses/by-sa/4.0/",
        licence_text="Creative Commons Atribuição-CompartilhaIgual 4.0 Internacional",
    ),
    Site(
        "viquilexic.example", "mediawiki", "Viquilèxic", "dictionary_wiki", ("ca",),
        figures=dict(members=3_412, active_users_30d=87, edits=298_540, articles=41_218, pages=66_905),
        growth=0.02, version="1.41.0",
        licence="CC0-1.0", licence_url="https://creativecommons.org/publicdomain/zero/1.0/",
        licence_text="Creative Commons Zero (domini públic)",
    ),
    Site(
        "wiki.taalmaatjes.example", "mediawiki", "Taalmaatjes Wiki", "language_exchange_wiki", ("nl",),
        figures=dict(members=1_208, active_users_30d=23, edits=38_770, articles=2_914, pages=7_402),
        growth=0.015, version="1.39.6",
        licence="GFDL-1.3-or-later", licence_text="GNU Free Documentation License 1.3 or later",
    ),
    Site(
        "wiki.hablamos.example", "mediawiki", "Hablamos Wiki", "language_exchange_wiki", ("es",),
        figures=dict(members=2_140, active_users_30d=61, edits=54_310, articles=3_805, pages=9_120),
        growth=0.02, version="1.41.0",
        licence="CC-BY-SA-4.0", licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
        licence_text="Creative Commons Atribución-CompartirIgual 4.0", links_to=("comunidad.hablamos.example",),
    ),
    Site(
        "wiki.sprachcafe.example", "mediawiki", "Sprachcafé-Wiki", "language_exchange_wiki", ("de",),
        figures=dict(members=642, active_users_30d=9, edits=12_305, articles=1_118, pages=2_960),
        growth=0.01, activity=(1.0, 0.78, 1.22), version="1.42.1",
    ),
    # The course designer's question ("French, at least 50,000 members, active, openly licensed"): one
    # wiki answers it; each other French site below misses it by one filter, or leaves it unknown.
    Site(
        "wiki.tandem-montreal.example", "mediawiki", "Wiki Tandem Montréal", "language_exchange_wiki", ("fr",),
        figures=dict(members=56_240, active_users_30d=1_318, edits=1_204_310, articles=38_406, pages=97_552),
        growth=0.025, version="1.41.0",
        licence="CC-BY-SA-4.0", licence_url="https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
        licence_text="Creative Commons Attribution - Partage dans les Mêmes Conditions 4.0",
    ),
    Site(  # near miss: not openly licensed (no commercial use)
        "encyclopedie-des-langues.example", "mediawiki", "Encyclopédie des langues", "open_content_wiki", ("fr",),
        figures=dict(members=71_180, active_users_30d=944, edits=2_310_877, articles=61_203, pages=180_446),
        growth=0.01, version="1.42.1",
        licence="CC-BY-NC-SA-4.0", licence_url="https://creativecommons.org/licenses/by-nc-sa/4.0/deed.fr",
        licence_text="Creative Commons Attribution - Pas d’Utilisation Commerciale - "
        "Partage dans les Mêmes Conditions 4.0",
    ),
    Site(  # near miss: measured inactive (no account active in 30 days)
        "wiki.archives-linguistiques.example", "mediawiki", "Archives linguistiques", "open_content_wiki", ("fr",),
        figures=dict(members=52_307, active_users_30d=0, edits=880_412, articles=24_930, pages=70_118),
        growth=0.002, version="1.39.6",
        licence="CC-BY-4.0", licence_url="https://creativecommons.org/licenses/by/4.0/deed.fr",
        licence_text="Creative Commons Attribution 4.0",
    ),
    Site(  # activity unknown (publishes none); crosses 50,000 members at the last capture
        "bibliotheque-dialogues.example", None, "Bibliothèque des dialogues", "open_corpus", ("fr",),
        series=dict(members=(46_000, 48_500, 51_000)), approximate=("members",), number_style="fr",
        licence="CC-BY-SA-4.0", licence_url="https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
        licence_text="CC BY-SA 4.0",
        description="Des dialogues du quotidien à lire, écouter et traduire : plus de {members} membres.",
    ),
    Site(  # licence unknown (declares none), active
        "forum.francais-langue-etrangere.example", "discourse", "Français langue étrangère", "forum", ("fr",),
        figures=dict(members=57_930, topics=21_450, posts=388_102, active_users_1d=402, active_users_7d=1_730,
                     active_users_30d=4_215, posts_7d=2_480, posts_30d=10_122, topics_7d=160, topics_30d=655),
        growth=0.02, version="3.2.1",
        description="Le forum des apprenants et des professeurs de français langue étrangère.",
    ),
    Site(  # near miss: fewer than 50,000 members; first met by the last capture (new in the latest run)
        "wiki.quebec-tandem.example", "mediawiki", "Wiki Tandem Québec", "language_exchange_wiki", ("fr",),
        figures=dict(members=47_815, active_users_30d=705, edits=402_118, articles=12_840, pages=33_260),
        version="1.41.0", first_capture=2,
        licence="CC-BY-4.0", licence_url="https://creativecommons.org/licenses/by/4.0/deed.fr",
        licence_text="Creative Commons Attribution 4.0",
    ),
    # Fediverse ------------------------------------------------------------------------------------
    Site(
        "babel-social.example", "mastodon", "Babel Social", "fediverse", ("fr", "en"),
        figures=dict(members=12_840, posts=1_904_330, active_users_30d=2_315, active_users_180d=5_120,
                     posts_7d=14_409, active_users_7d=1_189),
        growth=0.05, version="4.3.2",
        description="Instance Mastodon francophone pour les apprenants de langues et les polyglottes.",
    ),
    Site(
        "lemmy.lenguas.example", "lemmy", "Lenguas", "fediverse", ("es", "ca", "gl", "eu", "en"),
        figures=dict(members=4_905, posts=18_340, comments=96_215, communities=64, active_users_1d=118,
                     active_users_7d=402, active_users_30d=861, active_users_180d=1_930),
        growth=0.06, version="0.19.5",
        description="Comunidades para aprender y practicar lenguas: español, catalán, gallego, euskera e inglés.",
    ),
    Site(
        "tube.apprenons.example", "peertube", "Apprenons en vidéo", "video_platform", ("fr",),
        figures=dict(members=1_204, posts=2_318, comments=5_902, active_users_30d=96, active_users_180d=311),
        growth=0.08, version="6.3.2", first_capture=1,
        description="Cours, conversations et exercices de langues en vidéo, publiés par des enseignants bénévoles.",
    ),
    # phpBB ----------------------------------------------------------------------------------------
    Site(
        "forum.echanges-francophones.example", "phpbb", "Échanges Francophones", "forum", ("fr",),
        figures=dict(posts=186_402, topics=21_977, members=15_630, online_now=42),
        activity=FORUM_DEFAULT_ACTIVITY, newest_member="Lucie_Tandem",
        description="Le forum des échanges linguistiques en français",
    ),
    Site(
        "forum.deutsch-tandem.example", "phpbb", "Deutsch-Tandem Forum", "forum", ("de",),
        figures=dict(posts=94_315, topics=11_204, members=12_480, online_now=27),
        growth=-0.025, activity=(1.0, 0.9, 0.81), newest_member="Jonas_lernt",
        description="Deutsch lernen im Tandem – Forum für Lernende und Muttersprachler",
    ),
    # XenForo --------------------------------------------------------------------------------------
    Site(
        "forum.verbario.example", "xenforo", "Verbario Language Forums", "dictionary_forum", ("en",),
        figures=dict(topics=1_208_440, posts=6_912_305, members=642_118),
        growth=0.015, number_style="en", html_lang="en-US", newest_member="bilingual_bea",
        description="Questions about words, meanings and translations, answered by native speakers.",
    ),
    Site(
        "forum.sprachfreunde.example", "xenforo", "Sprachfreunde-Forum", "forum", ("de",),
        figures=dict(topics=27_355, posts=402_118, members=21_940),
        growth=0.025, number_style="de", html_lang="de-DE", newest_member="Wortschatz_Wanda",
        description="Das Forum für Sprachlernende: Grammatik, Tandems und Sprachreisen.",
    ),
    # SMF ------------------------------------------------------------------------------------------
    Site(
        "foro.intercambio-idiomas.example", "smf", "Foro Intercambio de Idiomas", "forum", ("es",),
        figures=dict(posts=48_213, topics=6_120, members=3_904), newest_member="Marisol_Tandem",
        description="Encuentra tu pareja lingüística y practica por correo, chat o en persona.",
    ),
    Site(
        "club.penpal-letters.example", "smf",
        '=HYPERLINK("https://penpal-letters.example/join","Penpal Letters Club")', "correspondence", ("en",),
        figures=dict(posts=75_602, topics=9_871, members=5_233), growth=0.02, newest_member="InkwellIvy",
        description="Handwritten letters and e-mail pen pals for language learners.",
    ),
    # MyBB -----------------------------------------------------------------------------------------
    Site(
        "forum.wymiana-jezykowa.example", "mybb", "Wymiana Językowa", "forum", ("pl",),
        # Members jump fourfold at the last capture while posts grow 3 %: a wave of spam sign-ups.
        figures=dict(posts=57_814, topics=8_203), series=dict(members=(6_741, 6_950, 28_900)), number_style="space",
        newest_member="Kasia_uczy_sie", description="Forum wymiany językowej – znajdź partnera do nauki.",
    ),
    Site(
        "guild.hyperglots.example", "mybb", "The Hyperglot Guild", "forum", ("en",),
        figures=dict(posts=212_904, topics=18_377, members=24_415, online_now=96), growth=0.025,
        activity=FORUM_DEFAULT_ACTIVITY, number_style="en", newest_member="polyglot_pete",
        description="A guild of language learners: study logs, challenges and methods.",
    ),
    # vBulletin ------------------------------------------------------------------------------------
    Site(
        "forum.intercambio-br.example", "vbulletin", "Fórum Intercâmbio Brasil", "forum", ("pt",),
        figures=dict(topics=39_427, posts=512_066, members=58_230), growth=0.02, number_style="de",
        html_lang="pt-br", newest_member="Joao_Poliglota",
        description="Fórum de intercâmbio de idiomas para brasileiros e estrangeiros.",
    ),
    # Twins of the use case's communities that run known software -------------------------------
    Site(  # Tatoeba's twin: an open sentence corpus on Tatoeba's own software (tatoeba2)
        "frasoteko.example", "tatoeba", "Frasoteko", "open_corpus",
        ("eo", "en", "fr", "de", "es", "pt", "it", "ja", "pl", "nl"), html_lang="en",
        figures=dict(sentences=2_418_360, contributions_1d=612), series=dict(corpus_languages=(187, 189, 192)),
        growth=0.02, activity=(1.0, 0.91, 1.12), number_style="en",
        licence="CC-BY-2.0", licence_url="https://creativecommons.org/licenses/by/2.0/fr/", licence_text="CC-BY 2.0 FR",
        description="Frasoteko is a collection of sentences and translations.",
    ),
    Site(  # Wikipedia's portal's twin: the portal of a wiki encyclopedia's language editions
        "www.vikilibro.example", "wikimedia_portal", "Vikilibro", "wiki",
        ("eo", "fr", "es", "de", "it", "pt", "ca", "nl", "pl", "ro", "gl", "eu"),  # ten featured, then listed
        series=dict(communities=(12, 12, 12)), growth=0.01,
        licence="CC-BY-SA-4.0", licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
        description="The free encyclopedia of language learners",
    ),
    Site(  # Miriadi's twin: a Drupal 7 portal for intercomprehension training
        "reseau-romanophone.example", "drupal", "Réseau romanophone", "intercomprehension", ("fr",),
        figures=dict(online_now=14), series=dict(members=(1_500, 1_600, 1_800)), approximate=("members",),
        activity=(1.0, 0.86, 1.21), number_style="fr_nbsp", version="7",
        description="Notre réseau réunit plus de {members} membres qui apprennent à se comprendre entre "
        "langues romanes, par des sessions de formation en ligne.",
    ),
    Site(  # The Mixxer's twin: a Drupal 10 language-exchange site
        "swapspeak.example", "drupal", "SwapSpeak", "language_exchange", ("en",),
        figures=dict(online_now=31), series=dict(members=(60_000, 62_000, 65_000)), approximate=("members",),
        activity=FORUM_DEFAULT_ACTIVITY, number_style="en", version="10",
        description="SwapSpeak pairs language learners for free exchanges by video call: "
        "over {members} users in more than 100 languages.",
    ),
    # Custom sites ---------------------------------------------------------------------------------
    Site(
        "polyglottes-club.example", None, "Club des Polyglottes", "social_network",
        ("fr", "en", "es", "de", "it", "pt", "he", "eo", "pl"),
        markup_languages=("fr", "en", "es", "de", "it", "pt", "iw", "eo", "pl"),
        series=dict(members=(250_000, 260_000, 275_000)), approximate=("members",), number_style="fr",
        description="Échanges linguistiques en ligne et rencontres chaque semaine à Paris et à Lyon : "
        "rejoignez plus de {members} membres dans le monde.",
    ),
    Site(
        "mixopolis.example", None, "Mixopolis", "tandem_exchange", ("en", "es", "ja", "de", "fr", "pt"),
        series=dict(members=(40_000, 42_000, 45_000)), approximate=("members",), number_style="en",
        description="Practise languages over video calls with native speakers. "
        "Join over {members} members from 140 countries.",
    ),
    Site(
        "intercomprehension-romane.example", None, "Intercompréhension romane", "intercomprehension",
        ("fr", "es", "it", "pt", "ca", "ro"),
        series=dict(members=(8_000, 8_500, 9_000)), approximate=("members",), number_style="fr_nbsp",
        licence="CC-BY-SA-4.0", licence_url="https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
        licence_text="CC BY-SA 4.0",
        description="Apprendre à comprendre les langues romanes : une communauté de plus de {members} membres, "
        "des sessions en ligne et des ressources libres.",
    ),
    Site(
        "frazaro.example", None, "Frazaro", "sentence_corpus", ("en", "eo", "fr", "de", "es", "ja"),
        series=dict(members=(12_000, 12_500, 13_000)), approximate=("members",), number_style="en",
        # CC BY 2.0 France has no SPDX id of its own: the normaliser maps ported licences without one
        # to the unported id and keeps the /fr/ URL.
        licence="CC-BY-2.0", licence_url="https://creativecommons.org/licenses/by/2.0/fr/",
        licence_text="CC BY 2.0 FR",
        description="Frazaro is a collaborative collection of example sentences and their translations, "
        "written by over {members} members.",
    ),
    Site(
        "brieffreunde-tandem.example", None, "Brieffreunde-Tandem", "correspondence", ("de", "fr"),
        series=dict(members=(18_000, 18_500, 19_000)), approximate=("members",), number_style="de",
        description="E-Mail-Tandem und Brieffreundschaften zwischen Deutschland und Frankreich: "
        "über {members} Mitglieder.",
    ),
    Site(
        "xerrades-girona.test", None, "Xerrades Girona", "tandem_exchange", ("ca", "es"),
        series=dict(members=(37, 41, 44)),
        description="Club de conversa en llengües estrangeres a Girona. Som {members} membres.",
    ),
    Site(
        "lingoboost.example", None, "LingoBoost", "company_platform", ("en", "es", "fr", "de", "it", "pt", "ja"),
        series=dict(members=(20_000_000, 21_000_000, 22_000_000)), approximate=("members",),
        number_style="million",
        description="LingoBoost: short daily lessons in 12 languages. More than {members} members learn with us.",
    ),
    # Faults ---------------------------------------------------------------------------------------
    Site(
        "old-name.example", "phpbb", "Pen & Tandem Circle", "correspondence", ("en",),
        figures=dict(posts=33_918, topics=4_410, members=2_874, online_now=11), growth=0.02,
        newest_member="Quill_and_Ink", description="Pen friends and tandem letters since 2004.",
        fault="redirect", scheme="http", redirect_to="new-name.example",
    ),
    Site("tandem-lyon.example", None, "Tandem Lyon", "tandem_exchange", ("fr",), fault="http_503"),
    Site("livemondo.example", None, "Livemondo", "company_platform", ("en",), fault="http_410"),
    Site(
        "forum.traduttori.example", "phpbb", "Il Circolo dei Traduttori", "forum", ("it",),
        figures=dict(posts=58_300, topics=7_120, members=4_410, online_now=19),
        newest_member="Giulia_Traduce", description="Forum di traduttori e interpreti.", fault="robots",
    ),
    Site("vanished-club.example", None, "Vanished Club", "tandem_exchange", ("en",), fault="not_archived"),
)  # fmt: skip

# The prose of each custom site's homepage, by domain.
CUSTOM_PAGES: dict[str, Custom] = {
    "polyglottes-club.example": Custom(
        "Club des Polyglottes – échanges linguistiques et rencontres",
        "Rencontres chaque semaine, corrections écrites et chat : rejoignez plus de {members} membres.",
        # The photo credit's rel=license covers the photo only, not the site's content.
        '<figure class="meetup"><img src="/img/soiree-paris.jpg" alt="Soirée d’échange à Paris">'
        '<figcaption>Photo : équipe du club, <a rel="license" '
        'href="https://creativecommons.org/licenses/by-sa/2.0/">CC BY-SA 2.0</a></figcaption></figure>',
    ),
    "mixopolis.example": Custom(
        "Mixopolis – language exchange over video calls",
        "Find a partner, schedule a call, and swap 30 minutes in each language. Over {members} members already do.",
    ),
    "intercomprehension-romane.example": Custom(
        "Intercompréhension romane – comprendre les langues voisines",
        "Français, espagnol, italien, portugais, catalan, roumain : plus de {members} membres apprennent "
        "à se comprendre, chacun dans sa langue.",
    ),
    "frazaro.example": Custom(
        "Frazaro – example sentences and translations",
        "Over {members} members add and translate sentences every day.",
        '<p class="stats">12,604,113 sentences in 421 languages</p>',
    ),
    "brieffreunde-tandem.example": Custom(
        "Brieffreunde-Tandem – Deutsch und Französisch per E-Mail",
        "Über {members} Mitglieder schreiben sich auf Deutsch und Französisch.",
    ),
    "xerrades-girona.test": Custom(
        "Xerrades Girona – club de conversa",
        "Som {members} membres i ens trobem cada dijous a Girona, a la biblioteca.",
    ),
    "bibliotheque-dialogues.example": Custom(
        "Bibliothèque des dialogues – lire, écouter, traduire",
        "Plus de {members} membres écrivent et traduisent des dialogues du quotidien, sous licence libre.",
    ),
    "lingoboost.example": Custom(
        "LingoBoost – learn a language in 10 minutes a day",
        "More than {members} members learn with LingoBoost.",
    ),
}
