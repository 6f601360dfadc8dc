namespace Alerts.Core.Scoring;

/// <summary>
/// Built-in language knowledge: negation cues, framing cues (fiction, reviews, games, drills, history) for English,
/// French and Spanish (the default list adds Portuguese, German and Italian cues of its own), and number words, units,
/// months and "years ago" for all six. Keyword lists may add cues of their own; they cannot remove these.
/// </summary>
public static class LanguageResources
{
    /// <summary>Words that, shortly before a match in the same sentence, negate it ("no one was killed").</summary>
    public const string Negation =
        // English (n't is split by the tokenizer: "didn't" -> "didn", "t")
        "no | not | never | without | none | nobody | no one | neither | nor | denied | deny | denies | denying | " +
        "ruled out | rules out | rule out | rejected reports | false reports | didn | wasn | weren | hasn | haven | hadn | " +
        "isn | aren | doesn | don | won | wouldn | couldn | shouldn | cannot | rejects | rejected | dismisses | dismissed | " +
        "rumour* | rumor* | false | fake | baseless | fictitious | hoax | unfounded | if | whether | " +
        "threatens to | threatened to | threat of | calls for | called for | calling for | considering | mulls | weighs | " +
        "allows | allow | " +
        // French
        "aucun | aucune | pas | jamais | sans | ni | personne n | nul | dementi* | dement | exclu | exclut | ecarte | " +
        "rejette | rumeur* | fausse | fausses | infonde* | intox | pourrait | pourraient | menace de | envisage | " +
        "reclament | appelle a | permet | permettent | " +
        // Spanish
        "nadie | ningun | ninguna | ninguno | sin | nunca | jamas | ni | nego | niega | desminti* | descart* | " +
        "rechaza | rechazo | rumor* | bulo | bulos | falso | falsa | falsos | falsas | infundad* | podria | podrian | " +
        "amenaza con | amenazo con | estudia | plantea | evalua | piden | pidio | permite | permiten";

    /// <summary>Words that frame a text as fiction, review, game, drill or history; matches near them are damped.</summary>
    public const string Framing =
        // English
        "film | films | movie | movies | thriller | novel | novels | fiction | fictional | series finale | " +
        "season finale | trailer | box office | video game | videogame | board game | game | games | gameplay | gamers | " +
        "military exercise* | " +
        "joint exercise* | training exercise* | naval exercise* | drill | drills | simulation | simulated | rehearsal | " +
        "anniversary | commemorat* | years on | years ago | years since | museum | documentary | memoir | opera | " +
        "football | soccer | striker | goalkeeper | midfielder | what is | what are | what does | explainer | explained | " +
        "what you need to know | what to know | how to prepare | guide to | definition | defined as | dictionary | " +
        "meaning of | opinion | op ed | commentary | abstract | this paper | this study | this article examines | " +
        "we examine | we argue | thesis | retrospective | looking back | history of | remembering | remembered | " +
        "survival guide | podcast | quiz | when to | difference between | decades ago | " +
        "what it is | what it means | everything you need to know | to remember | " +
        "misinformation | " +
        "disinformation | fake news | fact check | protagonist* | plot | " +
        // French
        "roman | romans | feuilleton | bande annonce | jeu video | jeux video | exercice militaire | " +
        "exercices militaires | simulacre | anniversaire | commemor* | ans apres | musee | documentaire | " +
        "piece de theatre | footballeur | buteur | qu est ce que | qu est ce qu | definition | decryptage | explications | " +
        "tribune | chronique | editorial | point de vue | retour sur | histoire de | c est quoi | que signifie | " +
        "difference entre | quelle difference | desinformation | infox | protagoniste* | intrigue | " +
        // Spanish
        "pelicula | peliculas | novela | novelas | resena | videojuego | videojuegos | simulacro | simulacros | " +
        "ejercicio militar | ejercicios militares | aniversario | conmemor* | anos despues | museo | documental | " +
        "obra de teatro | telenovela | futbol | futbolista | que es | que son | definicion | explicamos | guia | " +
        "opinion | columna | editorial | tribuna | historia de | hace anos | recuerdo | memoria | que significa | " +
        "diferencia entre | desinforma* | bulo | verificamos | protagonistas | trama";

    /// <summary>Units that make a number a duration, distance, share or amount rather than a count of people.</summary>
    public const string Units =
        "second | seconds | minute | minutes | hour | hours | day | days | week | weeks | month | months | year | years | " +
        "percent | km | kilometres | kilometers | metres | meters | dollars | euros | pounds | tonnes | tons | times | " +
        "degrees | seconde | secondes | heure | heures | jour | jours | semaine | semaines | mois | an | ans | annee | annees | " +
        "pourcent | kilometres | metres | francs | fois | degres | segundo | segundos | minuto | minutos | hora | horas | " +
        "dia | dias | semana | semanas | mes | meses | ano | anos | porciento | kilometros | metros | dolares | pesos | " +
        "veces | grados | " +
        // Portuguese
        "decada | decadas | quilometro | quilometros | metro | milhas | por cento | porcento | pct | reais | " +
        "real | kwanzas | meticais | escudos | libras | toneladas | quilos | quilogramas | litros | " +
        "hectares | vezes | graus | " +
        // German
        "sekunde | sekunden | minuten | stunde | stunden | uhr | tag | tage | tagen | woche | wochen | " +
        "monat | monate | monaten | jahr | jahre | jahren | jahres | jahrige | jahrigen | jahriger | " +
        "jahriges | stundige | stundigen | tagige | tagigen | wochige | wochigen | monatige | monatigen | " +
        "kilometer | kilometern | meter | metern | quadratkilometer | euro | dollar | franken | pfund | " +
        "rubel | prozent | prozentpunkte | tonnen | mal | grad | " +
        // Italian
        "secondi | minuti | ora | ore | giorno | giorni | settimana | settimane | mese | mesi | anno | " +
        "anni | decennio | decenni | secolo | secoli | chilometro | chilometri | metri | miglia | ettari | " +
        "dollari | dollaro | sterline | franchi | rubli | lire | percento | per cento | tonnellate | volte | " +
        "gradi | " +
        // Russian and Ukrainian ("арестован на 30 суток")
        "секунд | секунды | минута | минуты | минут | час | часа | часов | сутки | суток | день | дня | дней | неделю | недели | недель | " +
        "месяц | месяца | месяцев | год | года | лет | км | километров | процентов | процента | рублей | долларов | тонн | раз | градусов | " +
        "хвилин | годин | година | години | доба | доби | діб | днів | тиждень | тижні | тижнів | місяць | місяці | місяців | рік | роки | " +
        "років | кілометрів | відсотків | гривень | доларів | разів | градусів | " +
        // Turkish, Arabic, Persian
        "saniye | dakika | saat | gun | gunluk | hafta | haftalik | yil | yillik | kilometre | metre | dolar | lira | kez | derece | " +
        "ساعه | ساعات | يوم | ايام | اسبوع | اسابيع | شهر | اشهر | شهور | عام | اعوام | سنه | سنوات | كيلومتر | دولار | طن | مره | " +
        "ساعت | روز | هفته | سال | درصد | دلار";

    /// <summary>Month names: a number just before or after one is a date ("29 juin", "June 29"), never a count.</summary>
    public const string Months =
        "january | february | march | april | june | july | august | september | october | november | december | " +
        "jan | feb | apr | jun | jul | aug | sep | oct | nov | dec | " +
        "janvier | fevrier | mars | avril | mai | juin | juillet | aout | septembre | octobre | novembre | decembre | " +
        "enero | febrero | marzo | abril | mayo | junio | julio | agosto | septiembre | setiembre | octubre | noviembre | diciembre | " +
        // Portuguese
        "janeiro | fevereiro | marco | maio | junho | julho | setembro | outubro | novembro | dezembro | " +
        "fev | abr | " +
        // German
        "januar | janner | februar | feber | marz | juni | juli | oktober | dezember | sept | okt | " +
        // Italian
        "gennaio | febbraio | aprile | maggio | giugno | luglio | settembre | ottobre | dicembre | " +
        // Russian and Ukrainian (dates are genitive: "25 ноября")
        "января | февраля | марта | апреля | мая | июня | июля | августа | сентября | октября | ноября | декабря | " +
        "січня | лютого | березня | квітня | травня | червня | липня | серпня | вересня | жовтня | листопада | грудня | " +
        // Turkish, Arabic (both calendars), Persian
        "ocak | subat | mart | nisan | mayis | haziran | temmuz | agustos | eylul | ekim | kasim | aralik | " +
        "يناير | فبراير | مارس | ابريل | مايو | يونيو | يوليو | اغسطس | سبتمبر | اكتوبر | نوفمبر | ديسمبر | " +
        "كانون | شباط | اذار | نيسان | ايار | حزيران | تموز | ايلول | تشرين | " +
        "فروردين | ارديبهشت | خرداد | مرداد | شهريور | ابان | بهمن | اسفند";

    /// <summary>
    /// How a number of years says "ago": the words after the unit ("50 years ago") or before the number ("hace 50 años",
    /// "voilà 50 ans", "il y a 50 ans"). Such a sentence is history, as a year long past is.
    /// </summary>
    internal static readonly string[] YearUnits = ["years", "year", "ans", "annees", "anos", "ano", "jahr", "jahre", "jahren", "jahrzehnte", "jahrzehnten", "anni", "anno"];

    internal static readonly string[] AgoAfter = ["ago", "atras", "fa", "addietro", "her"];

    internal static readonly string[][] AgoBefore =
    [
        ["hace"], ["voila"], ["il", "y", "a"], ["ha"], ["faz"], ["vor"], ["vor", "etwa"], ["vor", "fast"], ["vor", "genau"], ["vor", "gut"],
        ["vor", "knapp"], ["vor", "mehr", "als"], ["vor", "rund"], ["vor", "uber"],
    ];

    /// <summary>Number words and their values (a plural of a round number counts as twice it: "hundreds" = 200).</summary>
    public static IReadOnlyDictionary<string, double> NumberWords { get; } = BuildNumberWords();

    private static Dictionary<string, double> BuildNumberWords()
    {
        var words = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(double value, params string[] names)
        {
            foreach (var name in names)
            {
                words[name] = value;
            }
        }

        // English
        Add(1, "one");
        Add(2, "two", "couple");
        Add(3, "three", "several");
        Add(4, "four");
        Add(5, "five");
        Add(6, "six");
        Add(7, "seven");
        Add(8, "eight");
        Add(9, "nine");
        Add(10, "ten");
        Add(11, "eleven");
        Add(12, "twelve", "dozen");
        Add(13, "thirteen");
        Add(14, "fourteen");
        Add(15, "fifteen");
        Add(16, "sixteen");
        Add(17, "seventeen");
        Add(18, "eighteen");
        Add(19, "nineteen");
        Add(20, "twenty", "score", "tens");
        Add(24, "dozens");
        Add(30, "thirty");
        Add(40, "forty", "scores");
        Add(50, "fifty");
        Add(60, "sixty");
        Add(70, "seventy");
        Add(80, "eighty");
        Add(90, "ninety");
        Add(100, "hundred");
        Add(200, "hundreds");
        Add(1000, "thousand");
        Add(2000, "thousands");
        Add(1_000_000, "million", "millions");

        // French
        Add(1, "un", "une");
        Add(2, "deux");
        Add(3, "trois", "plusieurs");
        Add(4, "quatre");
        Add(5, "cinq");
        Add(6, "six");
        Add(7, "sept");
        Add(8, "huit");
        Add(9, "neuf");
        Add(10, "dix", "dizaine");
        Add(11, "onze");
        Add(12, "douze", "douzaine");
        Add(13, "treize");
        Add(14, "quatorze");
        Add(15, "quinze", "quinzaine");
        Add(16, "seize");
        Add(20, "vingt", "vingtaine", "dizaines");
        Add(24, "douzaines");
        Add(30, "trente", "trentaine");
        Add(40, "quarante", "quarantaine");
        Add(50, "cinquante", "cinquantaine");
        Add(60, "soixante", "soixantaine");
        Add(20, "vingts");
        Add(100, "cent", "centaine");
        Add(200, "cents", "centaines");
        Add(1000, "mille", "millier");
        Add(2000, "milliers");

        // Spanish
        Add(1, "uno", "una");
        Add(2, "dos");
        Add(3, "tres", "varios", "varias");
        Add(4, "cuatro");
        Add(5, "cinco");
        Add(6, "seis");
        Add(7, "siete");
        Add(8, "ocho");
        Add(9, "nueve");
        Add(10, "diez", "decena");
        Add(11, "once");
        Add(12, "doce", "docena");
        Add(13, "trece");
        Add(14, "catorce");
        Add(15, "quince");
        Add(20, "veinte", "veintena", "decenas");
        Add(24, "docenas");
        Add(30, "treinta");
        Add(40, "cuarenta");
        Add(50, "cincuenta");
        Add(60, "sesenta");
        Add(70, "setenta");
        Add(80, "ochenta");
        Add(90, "noventa");
        Add(100, "cien", "ciento", "centenar");
        Add(200, "cientos", "centenares", "doscientos", "doscientas");
        Add(300, "trescientos", "trescientas");
        Add(400, "cuatrocientos", "cuatrocientas");
        Add(500, "quinientos", "quinientas");
        Add(600, "seiscientos", "seiscientas");
        Add(700, "setecientos", "setecientas");
        Add(800, "ochocientos", "ochocientas");
        Add(900, "novecientos", "novecientas");
        Add(1000, "mil", "millar");
        Add(2000, "miles", "millares");
        Add(1_000_000, "millon", "millones");
        // Portuguese
        Add(1, "um", "uma");
        Add(2, "dois", "duas");
        Add(4, "quatro");
        Add(7, "sete");
        Add(8, "oito");
        Add(9, "nove");
        Add(10, "dez", "dezena");
        Add(12, "doze", "duzia");
        Add(13, "treze");
        Add(14, "catorze");
        Add(16, "dezesseis", "dezasseis");
        Add(17, "dezessete", "dezassete");
        Add(18, "dezoito");
        Add(19, "dezenove", "dezanove");
        Add(20, "vinte", "vintena", "dezenas");
        Add(24, "duzias");
        Add(30, "trinta");
        Add(40, "quarenta");
        Add(50, "cinquenta");
        Add(60, "sessenta");
        Add(80, "oitenta");
        Add(100, "cem", "cento", "centena");
        Add(200, "centenas", "duzentos", "duzentas");
        Add(300, "trezentos", "trezentas");
        Add(400, "quatrocentos", "quatrocentas");
        Add(500, "quinhentos", "quinhentas");
        Add(600, "seiscentos", "seiscentas");
        Add(700, "setecentos", "setecentas");
        Add(800, "oitocentos", "oitocentas");
        Add(900, "novecentos", "novecentas");
        Add(1000, "milhar");
        Add(2000, "milhares");
        Add(1000000, "milhao", "milhoes");

        // German
        Add(1, "eins");
        Add(2, "zwei", "zwo", "paar");
        Add(3, "drei", "mehrere");
        Add(4, "vier");
        Add(5, "funf");
        Add(6, "sechs");
        Add(7, "sieben");
        Add(8, "acht");
        Add(9, "neun");
        Add(10, "zehn");
        Add(11);
        Add(12, "zwolf", "dutzend");
        Add(13, "dreizehn");
        Add(14, "vierzehn");
        Add(15, "funfzehn");
        Add(16, "sechzehn");
        Add(17, "siebzehn");
        Add(18, "achtzehn");
        Add(19, "neunzehn");
        Add(20, "zwanzig");
        Add(24, "dutzende");
        Add(30, "dreissig");
        Add(40, "vierzig");
        Add(50, "funfzig");
        Add(60, "sechzig");
        Add(70, "siebzig");
        Add(80, "achtzig");
        Add(90, "neunzig");
        Add(100, "hundert", "einhundert");
        Add(200, "hunderte", "zweihundert");
        Add(300, "dreihundert");
        Add(400, "vierhundert");
        Add(500, "funfhundert");
        Add(600, "sechshundert");
        Add(700, "siebenhundert");
        Add(800, "achthundert");
        Add(900, "neunhundert");
        Add(1000, "tausend", "eintausend");
        Add(2000, "tausende", "zweitausend");
        Add(3000, "dreitausend");
        Add(10000, "zehntausend");
        Add(20000, "zehntausende");
        Add(200000, "hunderttausende");
        Add(1000000, "million", "millionen");

        // Italian
        Add(2, "paio");
        Add(3, "tre", "diversi", "diverse", "vari", "varie", "parecchi", "parecchie");
        Add(4, "quattro");
        Add(5, "cinque");
        Add(6, "sei");
        Add(7, "sette");
        Add(8, "otto");
        Add(10, "dieci", "decina");
        Add(11, "undici");
        Add(12, "dodici", "dozzina");
        Add(13, "tredici");
        Add(14, "quattordici");
        Add(15, "quindici", "quindicina");
        Add(16, "sedici");
        Add(17, "diciassette");
        Add(18, "diciotto");
        Add(19, "diciannove");
        Add(20, "venti", "ventina", "decine");
        Add(24, "dozzine");
        Add(30, "trenta", "trentina", "trent");
        Add(40, "quaranta", "quarantina", "quarant");
        Add(50, "cinquanta", "cinquantina", "cinquant");
        Add(60, "sessanta", "sessantina", "sessant");
        Add(70, "settanta", "settantina", "settant");
        Add(80, "ottanta", "ottantina", "ottant");
        Add(90, "novanta", "novantina", "novant");
        Add(100, "centinaio");
        Add(200, "centinaia", "duecento");
        Add(300, "trecento");
        Add(400, "quattrocento");
        Add(500, "cinquecento");
        Add(600, "seicento");
        Add(700, "settecento");
        Add(800, "ottocento");
        Add(900, "novecento");
        Add(1000, "migliaio");
        Add(2000, "migliaia", "duemila");
        Add(3000, "tremila");
        Add(10000, "diecimila");
        Add(1000000, "milione", "milioni");

        // Russian, with ё read as е (nominative and genitive: "сотни задержанных", "десятков погибших")
        Add(2, "два", "две", "двух");
        Add(3, "три", "трех", "несколько", "нескольких");
        Add(4, "четыре", "четырех");
        Add(5, "пять", "пяти");
        Add(6, "шесть", "шести");
        Add(7, "семь", "семи");
        Add(8, "восемь", "восьми");
        Add(9, "девять", "девяти");
        Add(10, "десять", "десяти", "десяток", "десятка");
        Add(20, "двадцать", "двадцати", "десятки", "десятков");
        Add(30, "тридцать", "тридцати");
        Add(40, "сорок", "сорока");
        Add(50, "пятьдесят", "пятидесяти");
        Add(100, "сто", "сотня", "ста");
        Add(200, "сотни", "сотен", "сотнями", "двести", "двухсот");
        Add(300, "триста", "трехсот");
        Add(500, "пятьсот", "пятисот");
        Add(1000, "тысяча", "тысячи");
        Add(2000, "тысяч", "тысячами");

        // Ukrainian (п'ять, дев'ять, п'ятдесят split at the apostrophe: digits cover them)
        Add(2, "дві", "двох");
        Add(3, "кілька", "кількох", "трьох");
        Add(4, "чотири", "чотирьох");
        Add(6, "шість", "шести");
        Add(7, "сім", "семи");
        Add(8, "вісім", "восьми");
        Add(10, "десять", "десятка", "десяток");
        Add(20, "двадцять", "десятки", "десятків");
        Add(30, "тридцять");
        Add(40, "сорок");
        Add(100, "сто", "сотня");
        Add(200, "сотні", "сотень", "сотнями", "двісті");
        Add(300, "триста");
        Add(1000, "тисяча", "тисячі");
        Add(2000, "тисяч", "тисячами");

        // Turkish, folded ("on" ten and "dort" four are left out: "ön", and French "dort")
        Add(2, "iki");
        Add(3, "uc", "birkac");
        Add(5, "bes");
        Add(6, "alti");
        Add(7, "yedi");
        Add(8, "sekiz");
        Add(9, "dokuz");
        Add(20, "yirmi", "onlarca");
        Add(30, "otuz");
        Add(40, "kirk");
        Add(50, "elli");
        Add(100, "yuz");
        Add(200, "yuzlerce");
        Add(1000, "bin");
        Add(2000, "binlerce");
        Add(1000000, "milyon");

        // Arabic and Persian, folded as TextNormalizer folds them (ة → ه, آ → ا, ی → ي, ک → ك)
        Add(2, "اثنان", "اثنين", "دو");
        Add(3, "ثلاثه", "عده", "سه", "چند", "چندين");
        Add(10, "عشره", "عشر");
        Add(20, "عشرين", "عشرون", "عشرات", "بيست", "دهها");
        Add(100, "مائه", "مئه", "صد");
        Add(200, "مئات", "صدها");
        Add(1000, "الف", "هزار");
        Add(2000, "الاف", "هزاران");

        return words;
    }
}
