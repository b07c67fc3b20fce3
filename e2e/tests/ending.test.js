// The end of a protection in a browser with JavaScript off, on a server started with `--demo`:
// the director's list of procedures; the protected person answers the office's letter from
// their secure space (an empty answer refused next to its field); the officer drafts a decision
// (empty reasons refused next to the field); a section head signs the demo's drafted procedure
// and the protection shows as ended. Every page is screenshotted (ending-NN-name.png) and
// audited with axe-core.

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { BASE_URL, Harness, PASSWORD, open, signIn, signOut, story, submit, text } from '../lib/harness.js';

let h;
before(async () => {
  h = await Harness.start({ prefix: 'ending-' });
});
after(async () => {
  await h?.close();
});

const done = (page) => new URL(page.url()).searchParams.get('done');

/** The section head of each demo officer's section. */
const HEADS = {
  'opi.mercier': 'cs.diallo', 'opi.traore': 'cs.diallo', 'opi.nguyen': 'cs.lambert', 'opi.bernard': 'cs.lambert',
  'opi.garcia': 'cs.haddad', 'opi.lefebvre': 'cs.haddad', 'opi.rossi': 'cs.petit', 'opi.benali': 'cs.petit',
  'opi.karimi': 'cs.fontaine', 'opi.moreau': 'cs.fontaine', 'opi.rahman': 'cs.chevalier', 'opi.simon': 'cs.chevalier',
  'opi.petrov': 'cs.dubois', 'opi.faure': 'cs.dubois', 'opi.aziz': 'cs.roussel', 'opi.blanc': 'cs.roussel',
};

describe('the end of a protection', () => {
  const step = story();
  let page;
  let context;
  let awaiting; // the case whose person is asked to answer
  let drafted; // the case whose decision awaits a signature
  const officers = {};

  before(async () => {
    ({ page, context } = await h.agentBrowser());
  });
  after(async () => {
    await context?.close();
  });

  step('the director lists the procedures under way and the decisions', async () => {
    await signIn(page, 'dg.vasseur');
    await open(page, '/endings');
    const rows = page.locator('#open tbody tr');
    assert.ok((await rows.count()) >= 2, 'the demo has procedures under way');
    for (let i = 0; i < (await rows.count()); i += 1) {
      const cells = await rows.nth(i).locator('td').allTextContents();
      const number = cells[1].trim();
      if (cells[4].trim() === '—' && cells[5].trim() === '—') awaiting ??= number;
      if (cells[5].trim() !== '—') drafted ??= number;
    }
    assert.ok(awaiting && drafted, 'a procedure awaiting an answer and one to sign');
    assert.ok((await page.locator('#decided li').count()) > 0, 'decisions of the period');
    await h.check(page, 'list');
    await signOut(page);
    // Who examined each case (the registrar reads the case's summary).
    await signIn(page, 'ec.morel');
    for (const n of [awaiting, drafted]) {
      await open(page, `/cases/${n}`);
      officers[n] = (await text(page, '#officer')).trim();
    }
    await signOut(page);
  });

  step('the protected person answers from their space; an empty answer is refused next to the field', async () => {
    const person = await h.browser.newContext({ baseURL: BASE_URL, locale: 'fr-FR' });
    const p = await person.newPage();
    await open(p, '/portal/sign-in');
    await p.fill('#case_number', awaiting);
    await p.fill('#password', PASSWORD);
    await submit(p, p.locator('main button[type=submit]'));
    assert.equal(await p.getAttribute('#ending', 'data-stage'), 'awaiting');
    await h.check(p, 'portal-asked');
    const refused = await submit(p, p.locator('#ending button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.equal(await p.getAttribute('#answer', 'aria-invalid'), 'true');
    assert.ok((await text(p, '#answer-error')).length > 0);
    await h.check(p, 'portal-refused');
    await p.fill('#answer', 'Je ne suis retourné dans mon pays que pour enterrer mon père, caché chez un ami.');
    await submit(p, p.locator('#ending button[type=submit]'));
    assert.equal(await p.locator('#answered').count(), 1);
    assert.equal(await p.getAttribute('#ending', 'data-stage'), 'heard');
    await h.check(p, 'portal-answered');
    await person.close();
  });

  step('the officer reads the answer and drafts the decision; empty reasons are refused', async () => {
    await signIn(page, officers[awaiting]);
    await open(page, `/cases/${awaiting}/ending`);
    assert.match(await text(page, '.ending .answer'), /enterrer mon père/);
    await page.check('#draft-maintain');
    const refused = await submit(page, page.locator('#draft button[type=submit]'));
    assert.equal(refused.status(), 422);
    assert.equal(await page.getAttribute('#draft-reasons', 'aria-invalid'), 'true');
    await h.check(page, 'draft-refused');
    await page.check('#draft-maintain');
    await page.fill('#draft-reasons', 'Les observations établissent un retour contraint et bref ; la protection est maintenue.');
    await submit(page, page.locator('#draft button[type=submit]'));
    assert.equal(done(page), 'draft');
    assert.equal(await page.locator('#sign').count(), 0, 'the officer does not sign');
    await h.check(page, 'drafted');
    await signOut(page);
  });

  step('a section head signs the drafted procedure: the protection has ended', async () => {
    await signIn(page, HEADS[officers[drafted]]);
    await open(page, `/cases/${drafted}/ending`);
    await h.check(page, 'to-sign');
    await submit(page, page.locator('#sign button[type=submit]'));
    assert.equal(done(page), 'sign');
    assert.match(await text(page, '#protection'), /\d{4}-\d{2}-\d{2}/);
    await h.check(page, 'signed');
    await signOut(page);
  });

  step('a civil registrar has no list', async () => {
    await signIn(page, 'ec.morel');
    const denied = await open(page, '/endings');
    assert.equal(denied.status(), 403);
    await signOut(page);
  });
});
