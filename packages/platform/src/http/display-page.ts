/**
 * The hosted card-display page. It holds no card data when it loads: it asks the parent window
 * (exactly `origin`) for an ephemeral key over postMessage, fetches GET /cards/{card}/details
 * itself, and shows the number, expiry and CVC. Protocol (spec: GET /cards/{card}/display):
 *   page → parent  {type: 'openissuing:ready'}
 *   parent → page  {type: 'openissuing:ephemeral_key', secret: 'ek_test_…'}
 *   page → parent  {type: 'openissuing:rendered'} | {type: 'openissuing:error', code}
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
    <div id="card" data-card="${esc(card)}" data-origin="${esc(origin)}" data-state="waiting" role="group" aria-label="Card details">
      <div class="number" data-field="number" aria-label="Card number">•••• •••• •••• ••••</div>
      <div class="row">
        <div><div class="label">Expires</div><div class="value" data-field="expiry" aria-label="Expiry date">••/••</div></div>
        <div><div class="label">CVC</div><div class="value" data-field="cvc" aria-label="CVC">•••</div></div>
      </div>
    </div>
  </body>
</html>
`;
}

export const DISPLAY_CSS = `body{margin:0;font:16px/1.4 system-ui,sans-serif;background:transparent}
#card{box-sizing:border-box;width:340px;height:214px;padding:24px;border-radius:14px;color:#fff;
background:linear-gradient(135deg,#1f2a44,#3b4f7a);display:flex;flex-direction:column;justify-content:space-between}
.number{font:600 22px/1 ui-monospace,monospace;letter-spacing:2px;margin-top:48px}
.row{display:flex;gap:32px}.label{font-size:11px;opacity:.7;text-transform:uppercase}
.value{font:600 16px ui-monospace,monospace}
#card[data-state="error"]{background:#7a2e2e}
`;

export const DISPLAY_JS = `(function () {
  'use strict';
  var root = document.getElementById('card');
  if (!root) return;
  var card = root.getAttribute('data-card');
  var origin = root.getAttribute('data-origin');
  function post(msg) { window.parent.postMessage(msg, origin); }
  function field(name) { return root.querySelector('[data-field="' + name + '"]'); }
  window.addEventListener('message', function (event) {
    if (event.origin !== origin || event.source !== window.parent) return;
    var data = event.data;
    if (!data || data.type !== 'openissuing:ephemeral_key' || typeof data.secret !== 'string') return;
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
