/**
 * The hosted card-display page. It holds no card data when it loads: it asks the parent window
 * (exactly `origin`) for an ephemeral key over postMessage, fetches GET /cards/{card}/details
 * itself, and shows the number, expiry and CVC. Protocol (spec: GET /cards/{card}/display):
 *   page → parent  {type: 'openissuing:ready'}
 *   parent → page  {type: 'openissuing:ephemeral_key', secret: 'ek_test_…', appearance?}
 *   page → parent  {type: 'openissuing:rendered'} | {type: 'openissuing:error', code}
 *
 * The page draws only the card's fields — the same grid as `<CardDisplay>`'s (number across the
 * top, expiry and CVC below) on a transparent background — and the widget draws the rest of the
 * card (art, brand, status badge) around the frame. `appearance` carries the widget's labels in its
 * locale and the computed typography of its own fields, so the revealed card looks exactly like the
 * masked one, whatever theme the embedding app sets. Only the CSS properties in `APPEARANCE` are
 * applied, and only values made of plain tokens (no `url(`, no `;`): see `safeCssValue`.
 */
export function renderDisplayPage(card: string, origin: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex">
    <title>Card</title>
    <link rel="stylesheet" href="/assets/card-display.css">
    <script src="/assets/card-display.js" defer></script>
  </head>
  <body>
    <dl id="card" data-card="${esc(card)}" data-origin="${esc(origin)}" data-state="waiting" aria-label="Card details">
      <div class="field field--number"><dt data-label="number">Card number</dt><dd data-field="number">•••• •••• •••• ••••</dd></div>
      <div class="field"><dt data-label="expiry">Expires</dt><dd data-field="expiry">••/••</dd></div>
      <div class="field"><dt data-label="cvc">CVC</dt><dd data-field="cvc">•••</dd></div>
    </dl>
  </body>
</html>
`;
}

/** The card fields' layout; the defaults are `<CardDisplay>`'s, its `appearance` message overrides the type. */
export const DISPLAY_CSS = `html,body{margin:0;background:transparent;overflow:hidden}
body{font:16px/1.5 system-ui,sans-serif;color:#fff}
#card{display:grid;grid-template-columns:1fr auto auto;gap:8px 18px;margin:0}
.field--number{grid-column:1/-1}
dt{font-size:11.2px;text-transform:uppercase;opacity:.8}
dd{margin:2px 0 0;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:15.2px}
.field--number dd{font-size:18.4px;letter-spacing:.04em}
`;

/**
 * The CSS properties the widget may set on each part of the page (`appearance.styles`), as the spec
 * lists them. `fields` is the grid (and its `color-scheme` goes to the document, so that Chromium
 * keeps the frame transparent in a dark embedding page); `label` every `<dt>`; `value` every `<dd>`;
 * `number` the card number's `<dd>` after `value`.
 */
export const APPEARANCE: Record<'fields' | 'label' | 'value' | 'number', readonly string[]> = {
  fields: ['color', 'color-scheme', 'font-family', 'font-size', 'line-height', 'row-gap', 'column-gap'],
  label: [
    'font-family',
    'font-size',
    'font-style',
    'font-weight',
    'letter-spacing',
    'line-height',
    'opacity',
    'text-transform',
  ],
  value: [
    'font-family',
    'font-size',
    'font-style',
    'font-weight',
    'letter-spacing',
    'line-height',
    'margin-top',
  ],
  number: ['font-family', 'font-size', 'font-weight', 'letter-spacing', 'line-height'],
};

export const DISPLAY_JS = `(function () {
  'use strict';
  var root = document.getElementById('card');
  if (!root) return;
  var card = root.getAttribute('data-card');
  var origin = root.getAttribute('data-origin');
  var ALLOWED = ${JSON.stringify(APPEARANCE)};
  var PARTS = { fields: '#card', label: 'dt', value: 'dd', number: '[data-field="number"]' };
  function post(msg) { window.parent.postMessage(msg, origin); }
  function field(name) { return root.querySelector('[data-field="' + name + '"]'); }
  // Plain tokens only (numbers, units, names, quoted font names, rgb()): no url(), no escapes, no ';'.
  function safeCssValue(value) {
    return typeof value === 'string' && value.length <= 200 && /^[\\w\\s,.'"%#()+\\-\\/]*$/.test(value) &&
      !/(url|image|image-set|attr|expression|env)\\s*\\(/i.test(value);
  }
  function applyAppearance(appearance) {
    if (!appearance || typeof appearance !== 'object') return;
    var labels = appearance.labels || {};
    ['number', 'expiry', 'cvc'].forEach(function (name) {
      var el = root.querySelector('[data-label="' + name + '"]');
      if (el && typeof labels[name] === 'string' && labels[name].length <= 100) el.textContent = labels[name];
    });
    var styles = appearance.styles || {};
    ['fields', 'label', 'value', 'number'].forEach(function (part) {
      var given = styles[part];
      if (!given || typeof given !== 'object') return;
      var targets = Array.prototype.slice.call(document.querySelectorAll(PARTS[part]));
      ALLOWED[part].forEach(function (property) {
        var value = given[property];
        if (!safeCssValue(value)) return;
        if (property === 'color-scheme') return document.documentElement.style.setProperty(property, value);
        targets.forEach(function (el) { el.style.setProperty(property, value); });
      });
    });
  }
  window.addEventListener('message', function (event) {
    if (event.origin !== origin || event.source !== window.parent) return;
    var data = event.data;
    if (!data || data.type !== 'openissuing:ephemeral_key' || typeof data.secret !== 'string') return;
    applyAppearance(data.appearance);
    root.setAttribute('data-state', 'loading');
    fetch('/cards/' + encodeURIComponent(card) + '/details', {
      headers: { Authorization: 'Bearer ' + data.secret },
      cache: 'no-store',
      credentials: 'omit'
    }).then(function (res) {
      return res.json().then(function (body) { return { ok: res.ok, body: body }; });
    }).then(function (r) {
      if (!r.ok) {
        root.setAttribute('data-state', 'error');
        post({ type: 'openissuing:error', code: (r.body && r.body.code) || 'internal_error' });
        return;
      }
      var d = r.body;
      field('number').textContent = String(d.number).replace(/(\\d{4})(?=\\d)/g, '$1 ');
      field('expiry').textContent = ('0' + d.exp_month).slice(-2) + '/' + String(d.exp_year).slice(-2);
      field('cvc').textContent = d.cvc;
      root.setAttribute('data-state', 'rendered');
      post({ type: 'openissuing:rendered' });
    }).catch(function () {
      root.setAttribute('data-state', 'error');
      post({ type: 'openissuing:error', code: 'internal_error' });
    });
  });
  post({ type: 'openissuing:ready' });
})();
`;
