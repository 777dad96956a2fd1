// Tampering with the OP's authorization response on its way to the page, as an attacker who
// controls the redirect would: the page must refuse it before redeeming anything.
import assert from 'node:assert/strict';

/** `href` with its response parameters (query or fragment, wherever they are) passed to `edit`. */
function withEditedResponse(href, edit) {
  const url = new URL(href);
  const inFragment = url.hash.length > 1;
  const params = new URLSearchParams(inFragment ? url.hash.slice(1) : url.search);
  assert.ok(params.has('state'), 'the OP response carries no state');
  edit(params);
  if (inFragment) url.hash = params.toString();
  else url.search = params.toString();
  return url.href;
}

/**
 * Makes the consent submission land on the page with its response parameters passed through
 * `edit(URLSearchParams)` first. Playwright does not intercept redirect targets, so the handler
 * walks the OP's redirect chain itself (consent POST -> /auth/<uid> resume -> redirect URI) and
 * answers with the edited redirect. Call it on the consent page.
 * @returns {Promise<() => number>} how many responses were edited
 */
export async function editResponseOnConsent(page, { op }, edit) {
  let edited = 0;
  await page.route((url) => url.origin === op.issuer && url.pathname.startsWith('/interaction/'), async (route) => {
    if (route.request().method() !== 'POST') {
      await route.continue();
      return;
    }
    const submitted = await route.fetch({ maxRedirects: 0 });
    const resume = await page.request.get(new URL(submitted.headers().location, op.issuer).href, { maxRedirects: 0 });
    const redirect = new URL(resume.headers().location, op.issuer).href;
    edited += 1;
    await route.fulfill({ status: 303, headers: { location: withEditedResponse(redirect, edit) } });
  });
  return () => edited;
}
