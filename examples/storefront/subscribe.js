// The "notify me when it is back" form of index.html: it posts a
// back-in-stock subscription to /client/back-in-stock-subscriptions, as a
// storefront does from the shopper's browser: no private key, the
// account's public key in company_id, from another origin (the emulator
// answers the CORS preflight and every answer with
// Access-Control-Allow-Origin: *).

// BEGIN request: the request the form sends, as JSON (the emulator's Go
// tests read these lines and send the same request; keep it JSON).
const BIS_REQUEST = {
  "path": "/client/back-in-stock-subscriptions",
  "headers": {
    "accept": "application/vnd.api+json",
    "content-type": "application/vnd.api+json",
    "revision": "2025-01-15"
  },
  "body": {
    "data": {
      "type": "back-in-stock-subscription",
      "attributes": {
        "channels": ["EMAIL"],
        "profile": {
          "data": {
            "type": "profile",
            "attributes": {
              "email": ""
            }
          }
        }
      },
      "relationships": {
        "variant": {
          "data": {
            "type": "catalog-variant",
            "id": ""
          }
        }
      }
    }
  }
};
// END request

// subscriptionRequest returns the URL and fetch options of one
// subscription: the template above, filled in.
function subscriptionRequest(settings, shopper) {
  const body = JSON.parse(JSON.stringify(BIS_REQUEST.body));
  const attrs = body.data.attributes;
  attrs.channels = shopper.channels;
  attrs.profile.data.attributes.email = shopper.email;
  if (shopper.phone) {
    attrs.profile.data.attributes.phone_number = shopper.phone;
  }
  body.data.relationships.variant.data.id = settings.variant;
  const headers = Object.assign({}, BIS_REQUEST.headers, { revision: settings.revision });
  const url = settings.base.replace(/\/+$/, '') + BIS_REQUEST.path +
    '?company_id=' + encodeURIComponent(settings.publicKey);
  return { url: url, init: { method: 'POST', headers: headers, body: JSON.stringify(body) } };
}

// describe turns an answer into what the page shows: 202 is success (no
// body, as Klaviyo's); otherwise Klaviyo's error detail and where it
// points.
async function describe(res) {
  if (res.status === 202) {
    return { ok: true, text: 'Subscribed: the emulator answered 202 Accepted. We will tell you when it is back.' };
  }
  let detail = 'HTTP ' + res.status;
  try {
    const e = (await res.json()).errors[0];
    detail = e.detail + (e.source && (e.source.pointer || e.source.parameter) ?
      ' (' + (e.source.pointer || e.source.parameter) + ')' : '');
  } catch (err) {
    // not a Klaviyo error document: the status says it
  }
  return { ok: false, text: res.status + ': ' + detail };
}

// settingsFromQuery fills the settings fields from the page's query
// string (?base=…&company_id=…&variant=…&revision=…).
function settingsFromQuery(form) {
  const q = new URLSearchParams(window.location.search);
  for (const [param, field] of [['base', 'base'], ['company_id', 'publicKey'], ['variant', 'variant'], ['revision', 'revision']]) {
    if (q.get(param)) {
      form.elements[field].value = q.get(param);
    }
  }
}

document.addEventListener('DOMContentLoaded', function () {
  const form = document.getElementById('notify');
  const out = document.getElementById('result');
  settingsFromQuery(form);
  form.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    const f = form.elements;
    const channels = Array.from(form.querySelectorAll('input[name=channel]:checked')).map(function (c) { return c.value; });
    const req = subscriptionRequest(
      { base: f.base.value, publicKey: f.publicKey.value, variant: f.variant.value, revision: f.revision.value },
      { email: f.email.value, phone: f.phone.value, channels: channels });
    out.className = '';
    out.textContent = 'Sending…';
    try {
      const r = await describe(await fetch(req.url, req.init));
      out.className = r.ok ? 'ok' : 'error';
      out.textContent = r.text;
    } catch (err) {
      out.className = 'error';
      out.textContent = 'The request failed (is the emulator running at ' + f.base.value + '?): ' + err.message;
    }
  });
});
