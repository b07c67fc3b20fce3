// A civil registrar's day in a browser with JavaScript off, on a server started with `--demo`:
// the register searched by name and by a malformed number (refused next to the field), a
// protected person's acts, a marriage act refused for a spouse born after the wedding (next to
// the field) then drawn up, a correction without its grounds refused then added, a certified
// copy issued and checked on the public verification page (genuine, then an altered file
// refused); the family record book issued; the protected person asks for a copy from their space; an officer has no register.
// Every page is screenshotted (civil-NN-name.png) and audited with axe-core.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { BASE_URL, Harness, PASSWORD, open, signIn, signOut, story, submit, text, today } from '../lib/harness.js';

let h;
before(async () => {
  h = await Harness.start({ prefix: 'civil-' });
});
after(async () => {
  await h?.close();
});

const path = (page) => new URL(page.url()).pathname;
const done = (page) => new URL(page.url()).searchParams.get('done');
const focus = (page) => new URL(page.url()).searchParams.get('act');

describe("a civil registrar's day", () => {
  const step = story();
  let page;
  let context;
  let protectedCase; // the demo's protected person with a secure space (newest act of the demo)
  let civilPage; // that person's civil status
  let drawn; // the act drawn up today
  let copyPdf;

  before(async () => {
    ({ page, context } = await h.agentBrowser());
  });
  after(async () => {
    await context?.close();
  });

  step('the registrar lands on the register and searches it by name', async () => {
    await signIn(page, 'ec.morel');
    assert.equal(path(page), '/civil');
    await open(page, '/civil?kind=');
    const rows = page.locator('#register tbody tr');
    assert.ok((await rows.count()) > 0, 'the demo has acts');
    const first = await rows.first().locator('a').getAttribute('href');
    protectedCase = first.split('/')[2];
    civilPage = `/cases/${protectedCase}/civil`;
    const name = (await rows.first().locator('td').nth(2).textContent()).trim().slice(0, 3);
    await page.fill('#name', name.toLowerCase());
    await submit(page, page.locator('main form button[type=submit]'));
    const names = await page.locator('#register tbody tr td:nth-child(3)').allTextContents();
    assert.ok(names.length > 0 && names.every((n) => n.trim().toUpperCase().startsWith(name.toUpperCase())), names.join(', '));
    await h.check(page, 'register');
  });

  step('a malformed act number is refused next to its field', async () => {
    await page.fill('#number', 'EC-26-1');
    const refused = await submit(page, page.locator('main form button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.equal(await page.getAttribute('#number', 'aria-invalid'), 'true');
    assert.ok((await text(page, '#number-error')).length > 0);
    await h.check(page, 'register-error');
  });

  step("the person's acts: names in their script, no account of fears", async () => {
    await open(page, civilPage);
    assert.ok((await page.locator('article.civil-act').count()) > 0);
    const kinds = await page.locator('#civil-documents li').allTextContents();
    assert.ok(kinds.every((k) => !/Récit/.test(k)), `only civil-status documents: ${kinds}`);
    await h.check(page, 'acts');
  });

  step('a spouse born after the wedding is refused next to the field, then the act is drawn up', async () => {
    await page.selectOption('#act-kind', 'marriage');
    await page.selectOption('#act-person', '0');
    await page.fill('#act-event_on', '2019-06-14');
    await page.fill('#act-place', 'Lyon');
    await page.fill('#act-spouse_family_name', 'Nouri');
    await page.fill('#act-spouse_family_name_original', 'نوری');
    await page.fill('#act-spouse_given_names', 'Maryam');
    await page.fill('#act-spouse_given_names_original', 'مریم');
    await page.fill('#act-spouse_born_on', '2020');
    const refused = await submit(page, page.locator('#step-act button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.equal(await page.getAttribute('#act-spouse_born_on', 'aria-invalid'), 'true');
    assert.match(await text(page, '#act-spouse_born_on-error'), /mariage|marriage/);
    assert.equal(await page.inputValue('#act-spouse_family_name_original'), 'نوری', 'what was typed is kept');
    await h.check(page, 'act-refused');
    await page.fill('#act-spouse_born_on', '1994-03');
    await submit(page, page.locator('#step-act button[type=submit]'));
    assert.equal(done(page), 'act');
    drawn = focus(page);
    assert.match(drawn, /^EC-\d{4}-\d{6}$/);
    assert.match(await text(page, `#act-${drawn}`), /Nouri/);
    await h.check(page, 'act-drawn-up');
  });

  step('a correction without its grounds is refused, then added', async () => {
    const form = `#mention-${drawn}`;
    await page.locator(`#act-${drawn} summary`).click();
    await page.selectOption(`${form}-kind`, 'correction');
    await page.fill(`${form}-on`, today());
    const refused = await submit(page, page.locator(`${form} button[type=submit]`));
    assert.equal(refused.status(), 422);
    assert.equal(await page.getAttribute(`${form}-text`, 'aria-invalid'), 'true');
    await h.check(page, 'mention-refused');
    await page.fill(`${form}-text`, "Rectification du lieu du mariage, sur production de l'acte d'origine.");
    await submit(page, page.locator(`${form} button[type=submit]`));
    assert.equal(done(page), 'mention');
    assert.match(await text(page, `#act-${drawn} .act-mentions`), /Rectification/);
  });

  step('a certified copy is issued and verifies as genuine; an altered file does not', async () => {
    await submit(page, page.locator(`#copy-${drawn}`));
    assert.equal(done(page), 'copy');
    const link = await page.locator(`#act-${drawn} .act-copies a`).last().getAttribute('href');
    const r = await context.request.get(link);
    assert.equal(r.headers()['content-type'], 'application/pdf');
    copyPdf = await r.body();
    await h.check(page, 'copy-issued');

    const pub = await context.newPage();
    await open(pub, '/verify');
    await h.check(pub, 'verify-form');
    await pub.setInputFiles('#file', { name: 'copie.pdf', mimeType: 'application/pdf', buffer: copyPdf });
    await submit(pub, pub.locator('main form button[type=submit]'));
    assert.equal(await pub.locator('[data-verdict=genuine]').count(), 1, 'the copy as issued is genuine');
    assert.match(await text(pub, '#verdict'), new RegExp(drawn));
    await h.check(pub, 'verify-genuine');
    const altered = Buffer.from(copyPdf);
    altered[Math.floor(altered.length / 2)] ^= 0x20;
    await pub.setInputFiles('#file', { name: 'copie.pdf', mimeType: 'application/pdf', buffer: altered });
    await submit(pub, pub.locator('main form button[type=submit]'));
    assert.equal(await pub.locator('[data-verdict=unknown]').count(), 1, 'an altered copy is not the one issued');
    await h.check(pub, 'verify-altered');
    await pub.close();
    await signOut(page);
  });

  step('with a marriage in the register, the family record book is issued', async () => {
    await signIn(page, 'ec.morel');
    await open(page, civilPage);
    await submit(page, page.locator('#family-book button[type=submit]'));
    assert.equal(done(page), 'family_book');
    await h.check(page, 'family-book');
    await signOut(page);
  });

  step('an officer has no register', async () => {
    await signIn(page, 'opi.karimi');
    const denied = await open(page, '/civil');
    assert.equal(denied.status(), 403);
    await signOut(page);
  });

  step('the protected person asks for a copy from their space and finds it among their documents', async () => {
    const person = await h.browser.newContext({ baseURL: BASE_URL, locale: 'fr-FR' });
    const p = await person.newPage();
    await open(p, '/portal/sign-in');
    await p.fill('#case_number', protectedCase);
    await p.fill('#password', PASSWORD);
    await submit(p, p.locator('main button[type=submit]'));
    assert.equal(path(p), '/portal');
    const acts = p.locator('[data-testid=acts] li');
    assert.ok((await acts.count()) > 0, 'the acts are listed');
    await h.check(p, 'portal-acts');
    const before = await p.locator('[data-testid=documents] li').count();
    await submit(p, acts.first().locator('button[type=submit]'));
    assert.equal(await p.locator('#copied').count(), 1);
    assert.equal(await p.locator('[data-testid=documents] li').count(), before + 1);
    assert.match(await text(p, '[data-testid=documents] li'), /Copie intégrale/);
    await h.check(p, 'portal-copy');
    await person.close();
  });
});
