// Words for page scripts, from the same gettext catalogs as the page: the server puts this page's translations
// in <script type="application/json" id="words"> (queue_app/web/page_words.py), keyed by their English text.
// A text missing there is shown in English, never as a key.
let node = null;
let words = {};

// The words of the page now in the document (a ticket shown in the join page's document brings its own).
function current() {
  const found = document.getElementById("words");
  if (found !== node) {
    node = found;
    try { words = found ? JSON.parse(found.textContent) : {}; } catch { words = {}; }
  }
  return words;
}

// The page's language ("de"), for speech and plurals.
export function lang() {
  return document.documentElement.lang || "en";
}

// The locale for numbers and times: the phone's own when it speaks the page's language ("en-GB" writes 14:40,
// "en-US" 2:40 PM), else the page's language.
export function locale() {
  const page = lang();
  return (navigator.languages || []).find((tag) => tag.split("-")[0].toLowerCase() === page) || page;
}

function fill(template, params) {
  return template.replace(/%\((\w+)\)s/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

// `text` in the page's language, its %(name)s places filled from `params`.
export function t(text, params = {}) {
  const found = current()[text];
  return fill(typeof found === "string" && found ? found : text, params);
}

// The form of `singular`/`plural` for `count` in the page's language, %(num)s being the count.
export function tn(singular, plural, count, params = {}) {
  const forms = current()[singular];
  const one = new Intl.PluralRules(lang()).select(count) === "one";
  const english = one ? singular : plural;
  const chosen = Array.isArray(forms) ? forms[one ? 0 : 1] || english : english;
  return fill(chosen, { num: count, ...params });
}

// What the organiser typed, in the page's language if they gave it one ({language: text}), else their own text
// (queue_app/rules/runner_texts.py in_language).
export function inLanguage(byLanguage, fallback) {
  return (byLanguage && byLanguage[lang()]) || fallback;
}
