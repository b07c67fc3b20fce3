// A section head's day through the state's identity provider (a real OpenID provider started
// by scripts/e2e beside the server, NANSEN_OIDC_ISSUER): sign-in from Nansen's page, the
// provider's own form, back to the workbench; signing a decision asks the provider again; an
// identity no account is linked to is refused; sign-out ends the provider's session too.
// JavaScript stays off in the agent's browser: the continuation after the provider is a plain
// page that moves on by itself (meta refresh) or by its link.

import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, open, story, submit, text } from '../lib/harness.js';

const ISSUER = process.env.NANSEN_OIDC_ISSUER;

/** At the provider's sign-in form (not ours: not audited), type the account and go on. */
async function atProvider(page, account) {
  assert.ok(page.url().startsWith(ISSUER), `the provider asks who signs in (${page.url()})`);
  await page.fill('#login', account);
  // The provider sends the browser back; Nansen's continuation page moves on to the workbench.
  await Promise.all([page.waitForURL((url) => url.origin !== ISSUER && !url.pathname.startsWith('/login/oidc')), page.click('button[type=submit]')]);
}

describe('sign-in through the identity provider', () => {
  const step = story();
  let h;
  let page;
  let number;

  before(async () => {
    assert.ok(ISSUER, 'scripts/e2e starts the identity provider and sets NANSEN_OIDC_ISSUER');
    h = await Harness.start({ prefix: 'oidc-' });
    ({ page } = await h.agentBrowser());
  });
  after(async () => h?.close());

  step('the sign-in page offers the identity provider beside the password', async () => {
    await open(page, '/login');
    assert.equal(await page.locator('a[href="/login/oidc"]').count(), 1);
    await h.check(page, 'login-with-provider');
  });

  step('the section head signs in at the provider and lands on the queue', async () => {
    await submit(page, page.locator('a[href="/login/oidc"]'));
    await atProvider(page, 'k-fontaine');
    assert.equal(new URL(page.url()).pathname, '/cases');
    assert.match(await text(page, 'header'), /Fontaine/);
    await h.check(page, 'queue-after-provider');
  });

  step('signing a decision asks the provider to authenticate the head again', async () => {
    const queue = await page.request.get('/api/v1/cases?view=division&limit=500');
    const cases = await queue.json();
    const c = cases.find((c) => c.status === 'under_review' && c.section === 1);
    assert.ok(c, 'a decision under review in the head’s section');
    number = c.number;
    await open(page, `/cases/${number}`);
    assert.equal(await page.locator('#sign-password').count(), 0, 'no password to type');
    await h.check(page, 'sign-at-provider');
    await submit(page, page.getByRole('button', { name: 'Valider et signer la décision' }));
    await atProvider(page, 'k-fontaine');
    const url = new URL(page.url());
    assert.equal(url.pathname, `/cases/${number}`);
    assert.equal(url.searchParams.get('done'), 'sign');
    await h.check(page, 'signed-after-provider');
  });

  step('sign-out ends the provider’s session too', async () => {
    await submit(page, page.locator('header form[action="/logout"] button'));
    assert.ok(page.url().startsWith(`${ISSUER}/session/end`), page.url());
    // The provider asks to confirm; then it sends the browser back to Nansen's sign-in page.
    await Promise.all([page.waitForURL((url) => url.origin !== ISSUER), page.locator('button[autofocus], button[type=submit]').first().click()]);
    assert.equal(new URL(page.url()).pathname, '/login');
    const me = await page.request.get('/api/v1/session');
    assert.equal(me.status(), 401, 'the Nansen session ended');
  });

  step('an identity no account is linked to is refused, and nothing is created', async () => {
    await open(page, '/login/oidc');
    await page.fill('#login', 'k-stranger');
    await Promise.all([page.waitForURL((url) => url.origin !== ISSUER), page.click('button[type=submit]')]);
    assert.match(await text(page, 'main'), /aucun compte Nansen/);
    await h.check(page, 'unknown-identity');
    const me = await page.request.get('/api/v1/session');
    assert.equal(me.status(), 401);
  });
});
